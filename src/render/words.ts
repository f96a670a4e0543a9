/**
 * The words a person reads for task states and phases, in one place so the
 * status comment, the replies and the help text say the same thing.
 */
import type { Phase, TaskState } from "../domain/model.ts";

export const PHASES: readonly Phase[] = ["queued", "planning", "approval", "working", "testing", "pull_request"];

export const PHASE_LABEL: Record<Phase, string> = {
  queued: "Queued",
  planning: "Planning",
  approval: "Awaiting approval",
  working: "Working",
  testing: "Testing",
  pull_request: "Pull request",
};

/** "Failed …" completes with these. */
export const FAILED_WHILE: Record<Phase, string> = {
  queued: "before it started",
  planning: "while planning",
  approval: "while waiting for approval",
  working: "while working on the changes",
  testing: "while testing",
  pull_request: "while opening the pull request",
};

/** "The task is …" completes with these. */
export const STATE_WORDS: Record<TaskState, string> = {
  queued: "queued",
  planning: "making a plan",
  awaiting_approval: "waiting for approval of its plan",
  revising: "revising its plan",
  approved: "approved and about to start",
  working: "working on the changes",
  testing: "running the tests",
  paused: "paused, waiting to be resumed",
  done: "done",
  failed: "failed",
  cancelled: "cancelled",
};

/** The phase a state belongs to in the checklist. */
export const PHASE_OF_STATE: Record<TaskState, Phase | null> = {
  queued: "queued",
  planning: "planning",
  revising: "planning",
  awaiting_approval: "approval",
  approved: "working",
  working: "working",
  testing: "testing",
  paused: "working",
  done: "pull_request",
  failed: null,
  cancelled: null,
};
