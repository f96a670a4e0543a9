import type { NewTask } from "../store/port.ts";
import type { UseCaseDeps } from "./deps.ts";
import { enqueueTaskJob } from "./task-jobs.ts";
import type { Task } from "../domain/model.ts";

/**
 * Starts a task: persist it (the database refuses a second active task for
 * the issue), post its status comment, enqueue planning. Safe to run again
 * for the same trigger (a retried job): a half-started task is picked up, not
 * duplicated. A task without an issue has no status comment (status-publisher.ts
 * does nothing for it); a replayed idempotency key answers the task it made.
 */
export type StartResult =
  | { kind: "started"; task: Task }
  | { kind: "busy"; active: Task }
  | { kind: "duplicate"; task: Task }
  /** The idempotency key was used before for another request (the task it created). */
  | { kind: "conflict"; task: Task };

export async function startTask(deps: UseCaseDeps, input: NewTask, reason: string): Promise<StartResult> {
  const created = await deps.store.create(input, input.requestedBy, reason);
  let task: Task;
  if (created.created) task = created.task;
  else if ("replayed" in created) task = created.replayed;
  else if ("conflict" in created) return { kind: "conflict", task: created.conflict };
  else if (isSameTrigger(created.active, input)) task = created.active;
  else return { kind: "busy", active: created.active };

  const alreadyRunning = !created.created && ("replayed" in created || task.statusCommentId !== null);
  task = await deps.status.create(task);
  await enqueueTaskJob(deps.queue, task, "plan");
  return alreadyRunning ? { kind: "duplicate", task } : { kind: "started", task };
}

/** The active task was created by this very trigger (the same comment, or a label start that stopped half-way). */
function isSameTrigger(active: Task, input: NewTask): boolean {
  if (input.triggerCommentId !== null) return active.triggerCommentId === input.triggerCommentId;
  return active.state === "queued" && active.statusCommentId === null && active.requestedBy === input.requestedBy;
}
