import type { Workspace } from "../workspace/port.ts";
import type { TaskDeps } from "./deps.ts";
import { failTask } from "./fail-task.ts";
import type { Task, ThreadSnapshot } from "../domain/model.ts";
import type { PlanningContext } from "./planning-context.ts";
import { userFacingFailure } from "./user-facing.ts";
import { watchTask } from "./watch-cancel.ts";

/**
 * What both jobs share around the agent: gather the thread (planning takes a
 * new snapshot; execution is given the approved one), check out the repository, watch for the task being cancelled elsewhere, always dispose of
 * the checkout, and turn errors a retry cannot fix into the task's failure
 * (anything else is thrown, so the queue retries the job).
 */
export interface PhaseEnv {
  thread: ThreadSnapshot;
  workspace: Workspace;
  /** Aborted when the task is cancelled (or closed) or the worker stops. */
  signal: AbortSignal;
}

/** How often the status comment is refreshed while a phase runs, so its elapsed time stays current. */
export const STATUS_HEARTBEAT_MS = 60_000;

export async function inWorkspace(
  deps: TaskDeps,
  task: Task,
  ctx: PlanningContext,
  phase: string,
  thread: () => Promise<ThreadSnapshot>,
  work: (env: PhaseEnv) => Promise<void>,
): Promise<void> {
  const watch = watchTask(deps.store, task.id, ctx.signal);
  const heartbeat = setInterval(() => {
    deps.store
      .get(task.id)
      .then((current) => (current ? deps.status.refresh(current) : undefined))
      .catch((err: unknown) => deps.log.warn({ err, taskId: task.id }, "could not refresh the status comment"));
  }, STATUS_HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const snapshot = await thread();
    const workspace = await deps.workspaces.checkout(task, { token: () => ctx.gh.token() });
    try {
      await work({ thread: snapshot, workspace, signal: watch.signal });
    } finally {
      await workspace.dispose();
    }
  } catch (error) {
    if (watch.signal.aborted && !ctx.signal.aborted) return; // cancelled meanwhile: nothing more to say
    const failure = userFacingFailure(error, phase);
    if (!failure) throw error;
    await failTask(deps, task.id, failure);
  } finally {
    clearInterval(heartbeat);
    watch.stop();
  }
}
