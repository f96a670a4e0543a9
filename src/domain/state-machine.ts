import { TERMINAL_STATES, type TaskState } from "./model.ts";

/**
 * The only legal moves of a task. Anything else is a bug or a race, and is
 * rejected (the store applies a transition only from the state it expects).
 *
 *   queued → planning → awaiting_approval → (revising → awaiting_approval)* → approved
 *          → working ⇄ testing → done | failed | cancelled
 *
 *          working | testing → paused → approved (resume: execution goes on from the checkpoint)
 *
 * `planning → approved` is the `approval: auto` path, `planning → done` a
 * question answered without a plan, `queued → approved` a follow-up on a pull
 * request (the writer's comment is the instruction and the approval). Every
 * non-terminal state may fail or be cancelled.
 */
const TRANSITIONS: Record<TaskState, readonly TaskState[]> = {
  queued: ["planning", "approved"],
  planning: ["awaiting_approval", "approved", "done"],
  awaiting_approval: ["revising", "approved"],
  revising: ["awaiting_approval", "approved", "done"],
  approved: ["working"],
  working: ["testing", "done", "paused"],
  testing: ["working", "done", "paused"],
  paused: ["approved"],
  done: [],
  failed: [],
  cancelled: [],
};

export class IllegalTransitionError extends Error {
  readonly from: TaskState;
  readonly to: TaskState;
  constructor(from: TaskState, to: TaskState) {
    super(`A task cannot move from "${from}" to "${to}".`);
    this.name = "IllegalTransitionError";
    this.from = from;
    this.to = to;
  }
}

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.includes(state);
}

export function canTransition(from: TaskState, to: TaskState): boolean {
  if (isTerminal(from)) return false;
  if (to === "failed" || to === "cancelled") return true;
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: TaskState, to: TaskState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** States in which work is under way (or paused, waiting to resume) and a new `/jules` must be refused. */
export const ACTIVE: readonly TaskState[] = ["queued", "planning", "awaiting_approval", "revising", "approved", "working", "testing", "paused"];
