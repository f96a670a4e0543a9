import { actorName, type Caller } from "../../domain/actor.ts";
import type { Task } from "../../domain/model.ts";
import { pauseRequest, requestedPause } from "../pause.ts";
import { taskFor } from "./access.ts";
import type { UseCaseDeps } from "../deps.ts";
import type { Result } from "./port.ts";
import { fail, ok } from "./result.ts";

/**
 * Asks a working task to pause (tasks/pause.ts): the request is written on
 * the task, the agent sees it before its next model call, keeps its work as a
 * checkpoint commit, and the task becomes `paused`. Asking twice is harmless.
 */
export async function pauseTask(deps: UseCaseDeps, caller: Caller, id: string, input: { reason?: string }): Promise<Result<Task>> {
  const found = await taskFor(deps, caller, id, "write");
  if (!found.ok) return found;
  const task = found.value;
  if (task.state === "paused") return fail("conflict", "Already paused", `Task ${id} is paused already; resume it to go on.`);
  if (task.state !== "working" && task.state !== "testing") {
    const instead =
      task.state === "approved" ? "its work is about to start: pause it once it is working, or cancel it." : "only a working task can be paused; cancel it to stop it.";
    return fail("conflict", "Task not working", `Task ${id} is ${task.state}: ${instead}`);
  }
  if (pauseRequest(task) !== null) return ok(task);
  const by = actorName(caller.principal);
  const reason = input.reason?.trim() || `asked by ${by === "operator" ? "the operator" : `@${by}`}`;
  const updated = await deps.store.update(id, { pause: requestedPause(reason.slice(0, 500), deps.now(), task.pause) });
  await deps.status.refresh(updated, `Pause requested (${reason.slice(0, 200)}): the task stops at the agent's next turn and keeps its work.`);
  return ok(updated);
}
