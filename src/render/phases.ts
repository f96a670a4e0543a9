/**
 * The checklist of the status comment, derived from the task alone (plus its
 * transition history when available): which phases are done, which one is
 * current, which were skipped (approval under `approval: auto`, everything
 * after an answer, the pull request when only a branch was pushed), and where
 * a failed or cancelled task stopped. An automatic approval (`approvalKind`
 * `auto`, or no `approvedBy` in older records) shows as skipped, and so does
 * everything after planning for a question (kind `ask`): it never goes there.
 */
import type { Phase, Task, TaskEvent } from "../domain/model.ts";
import { PHASE_OF_STATE, PHASES } from "./words.ts";

export type PhaseStatus = "done" | "current" | "pending" | "skipped" | "failed" | "cancelled";

export interface PhaseItem {
  phase: Phase;
  status: PhaseStatus;
}

/** Words in `failure.phase` that name a phase; workspace trouble is ambiguous and left to the task's fields. */
const FAILURE_WORDS: [RegExp, Phase][] = [
  [/pull request|\bpr\b|push|commit|branch/i, "pull_request"],
  [/test/i, "testing"],
  [/approv/i, "approval"],
  [/plan|revis|answer/i, "planning"],
  [/\bwork(?!space)|execut|edit|chang/i, "working"],
  [/queue|start/i, "queued"],
];

/** The phase in which a failed or cancelled task stopped. */
export function stoppedAt(task: Task, events: readonly TaskEvent[] = []): Phase {
  const last = [...events].reverse().find((event) => event.to === task.state);
  const fromEvent = last?.from ? PHASE_OF_STATE[last.from] : null;
  if (fromEvent) return fromEvent;
  const word = task.failure?.phase;
  const fromWords = word ? FAILURE_WORDS.find(([pattern]) => pattern.test(word))?.[1] : undefined;
  if (fromWords) return fromWords;
  if (task.plan === null && task.answer === null) return "planning";
  if (task.approvedPlanHash === null && task.approvedBy === null) return "approval";
  return task.pullRequestNumber !== null ? "pull_request" : "working";
}

function passedStatus(task: Task, phase: Phase): PhaseStatus {
  return phase === "approval" && (task.approvalKind === "auto" || task.approvedBy === null) ? "skipped" : "done";
}

export function phaseChecklist(task: Task, events: readonly TaskEvent[] = []): PhaseItem[] {
  if (task.state === "done") {
    const answered = task.plan === null && task.answer !== null;
    return PHASES.map((phase) => {
      const index = PHASES.indexOf(phase);
      if (answered) return { phase, status: index <= 1 ? "done" : "skipped" };
      if (phase === "pull_request") return { phase, status: task.pullRequestNumber !== null || task.pullRequestUrl !== null ? "done" : "skipped" };
      return { phase, status: passedStatus(task, phase) };
    });
  }
  const stop = task.state === "failed" || task.state === "cancelled" ? stoppedAt(task, events) : PHASE_OF_STATE[task.state]!;
  const stopIndex = PHASES.indexOf(stop);
  const stopStatus: PhaseStatus = task.state === "failed" ? "failed" : task.state === "cancelled" ? "cancelled" : "current";
  return PHASES.map((phase, index) => {
    if (index < stopIndex) return { phase, status: passedStatus(task, phase) };
    if (index === stopIndex) return { phase, status: stopStatus };
    return { phase, status: task.kind === "ask" && index > PHASES.indexOf("planning") ? "skipped" : "pending" };
  });
}
