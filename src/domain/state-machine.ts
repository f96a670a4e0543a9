import { TERMINAL_STATES, type TaskKind, type TaskState } from "./model.ts";

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
 *
 * A question (`kind: "ask"`, `/jules ask`) has fewer moves, checked by the
 * store with every transition of such a task: queued → planning → done (the
 * answer), or failed or cancelled. It never waits for approval, is never
 * approved and never works, whatever its planning run returned.
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

/** The only moves of a question: answered (done) from planning; failed or cancelled from anywhere live. */
const ASK_TRANSITIONS: Partial<Record<TaskState, readonly TaskState[]>> = {
  queued: ["planning"],
  planning: ["done"],
};

export class IllegalTransitionError extends Error {
  readonly from: TaskState;
  readonly to: TaskState;
  constructor(from: TaskState, to: TaskState, kind?: TaskKind) {
    super(
      kind === "ask"
        ? `A question (an ask task) cannot move from "${from}" to "${to}": it is answered, never approved or worked on.`
        : `A task cannot move from "${from}" to "${to}".`,
    );
    this.name = "IllegalTransitionError";
    this.from = from;
    this.to = to;
  }
}

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** Whether a task of `kind` (any kind but a question when not given) may move from `from` to `to`. */
export function canTransition(from: TaskState, to: TaskState, kind?: TaskKind): boolean {
  if (isTerminal(from)) return false;
  if (to === "failed" || to === "cancelled") return true;
  const moves = kind === "ask" ? (ASK_TRANSITIONS[from] ?? []) : TRANSITIONS[from];
  return moves.includes(to);
}

export function assertTransition(from: TaskState, to: TaskState, kind?: TaskKind): void {
  if (!canTransition(from, to, kind)) throw new IllegalTransitionError(from, to, kind);
}

/** States in which work is under way (or paused, waiting to resume) and a new `/jules` must be refused. */
export const ACTIVE: readonly TaskState[] = ["queued", "planning", "awaiting_approval", "revising", "approved", "working", "testing", "paused"];
