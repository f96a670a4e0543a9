import { actorName, type Caller } from "../../domain/actor.ts";
import type { Task } from "../../domain/model.ts";
import { ACTIVE } from "../../domain/state-machine.ts";
import { cancelTask as cancel } from "../cancel-task.ts";
import { taskFor } from "./access.ts";
import type { UseCaseDeps } from "../deps.ts";
import type { Result } from "./port.ts";
import { fail, ok } from "./result.ts";

/** Stops a live task for good (cancel-task.ts); a running job notices and pushes nothing more. */
export async function cancelTaskUseCase(deps: UseCaseDeps, caller: Caller, id: string, input: { reason?: string }): Promise<Result<Task>> {
  const found = await taskFor(deps, caller, id, "write");
  if (!found.ok) return found;
  const task = found.value;
  if (!ACTIVE.includes(task.state)) return fail("conflict", "Task already ended", `Task ${id} is already ${task.state}; there is nothing to cancel.`);
  const cancelled = await cancel(deps, { task, by: actorName(caller.principal), reason: input.reason?.trim() ?? "", face: caller.face });
  if (cancelled) return ok(cancelled);
  const now = await deps.store.get(id);
  return fail("conflict", "Task already ended", `Task ${id} ended as ${now?.state ?? "deleted"} before it could be cancelled.`);
}
