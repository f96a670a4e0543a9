import { actorName, type Caller } from "../../domain/actor.ts";
import type { Task } from "../../domain/model.ts";
import { revisePlan } from "../revise-plan.ts";
import { taskFor } from "./access.ts";
import type { UseCaseDeps } from "../deps.ts";
import type { Result } from "./port.ts";
import { fail, ok } from "./result.ts";

/** A new plan from the waiting one and the feedback (revise-plan.ts). */
export async function reviseTask(deps: UseCaseDeps, caller: Caller, id: string, input: { feedback: string }): Promise<Result<Task>> {
  const feedback = input.feedback.trim();
  if (!feedback) return fail("invalid", "Feedback missing", "Say what to change in the plan.");
  const found = await taskFor(deps, caller, id, "write");
  if (!found.ok) return found;
  return revised(await revisePlan(deps, { task: found.value, by: actorName(caller.principal), feedback, face: caller.face }));
}

export function revised(result: Awaited<ReturnType<typeof revisePlan>>): Result<Task> {
  if (result.kind === "revising") return ok(result.task);
  return fail("conflict", "Plan not waiting for approval", `Task ${result.task.id} is ${result.task.state}; only a plan waiting for approval can be revised.`);
}
