import type { PausedOutcome, ResumePoint } from "../agent/port.ts";
import type { PauseInfo, Task } from "../domain/model.ts";
import type { TaskDeps } from "./deps.ts";

/**
 * Pausing, between the control plane and the running execution, through the
 * store (so it works across processes):
 *
 * - a person's pause (`pause`, `/jules pause`) writes `task.pause` with cause
 *   `operator` and no summary yet while the task stays working or testing:
 *   that is the request (`pauseRequest`), which the agent's loop asks before
 *   each model call;
 * - the execution that stops (on that request or a budget) moves the task to
 *   `paused` with the pause completed: its summary (never null once paused)
 *   and the checkpoint commit (`recordPause`);
 * - `resume` moves it back to approved and keeps `task.pause` (the record of
 *   the last pause); the resumed execution is given it as its resume point.
 */
export function pauseRequest(task: Pick<Task, "state" | "pause">): string | null {
  if (task.state !== "working" && task.state !== "testing") return null;
  const pause = task.pause;
  return pause && pause.cause === "operator" && pause.summary === null ? pause.reason : null;
}

/** A request as the pause use case writes it, keeping the completed pause (if any) that the running execution went on from. */
export function requestedPause(reason: string, at: Date, previous: PauseInfo | null = null): PauseInfo {
  const from = previous?.summary != null ? { summary: previous.summary, checkpointSha: previous.checkpointSha } : previous?.resumedFrom;
  return { cause: "operator", reason, at: at.toISOString(), checkpointSha: null, summary: null, ...(from ? { resumedFrom: from } : {}) };
}

/** Where a resumed execution goes on from: the last completed pause, if the task was paused before. */
export function resumePoint(task: Pick<Task, "pause" | "branch">): ResumePoint | null {
  const pause = task.pause;
  if (!pause) return null;
  if (pause.summary === null) return pause.resumedFrom ? { ...pause.resumedFrom, branch: task.branch } : null;
  return { summary: pause.summary, checkpointSha: pause.checkpointSha, branch: task.branch };
}

/** The execution stopped with its work kept: the task is paused, with how to go on. */
export async function recordPause(
  deps: Pick<TaskDeps, "store" | "status" | "now">,
  task: Task,
  outcome: PausedOutcome,
  checkpointSha: string | null,
  usage: Task["usage"],
): Promise<Task | null> {
  const pause: PauseInfo = { cause: outcome.cause, reason: outcome.reason, at: deps.now().toISOString(), checkpointSha, summary: outcome.summary };
  const paused = await deps.store.transition(task.id, {
    from: ["working", "testing"],
    to: "paused",
    actor: "openjules",
    reason: `paused: ${outcome.reason}`,
    patch: { pause, usage },
  });
  if (!paused) return null;
  await deps.store.appendEvents(task.id, [{ type: "paused", cause: pause.cause, reason: pause.reason, checkpointSha }]);
  await deps.status.refresh(paused);
  return paused;
}
