import type { Failure, Task } from "../domain/model.ts";
import { ACTIVE } from "../domain/state-machine.ts";
import type { TaskDeps } from "./deps.ts";

/**
 * Ends a live task as failed, with what failed, why, and what the person can
 * do next, and shows it in the status comment. A task already ended is left
 * as it is (returns null).
 */
export async function failTask(deps: Pick<TaskDeps, "store" | "status">, taskId: string, failure: Failure, actor = "openjules"): Promise<Task | null> {
  const failed = await deps.store.transition(taskId, { from: ACTIVE, to: "failed", actor, reason: `${failure.phase}: ${failure.reason}`, patch: { failure } });
  if (failed) await deps.status.refresh(failed);
  return failed;
}
