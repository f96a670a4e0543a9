import type { UseCaseDeps } from "./deps.ts";
import { enqueueTaskJob } from "./task-jobs.ts";
import type { Face } from "../domain/actor.ts";
import type { Task } from "../domain/model.ts";

/** `/revise <feedback>`: back to planning with the previous plan and the feedback. */
export type ReviseResult = { kind: "revising"; task: Task } | { kind: "not_waiting"; task: Task };

export async function revisePlan(deps: UseCaseDeps, input: { task: Task; by: string; feedback: string; face?: Face }): Promise<ReviseResult> {
  const { task } = input;
  const revising = await deps.store.transition(task.id, {
    from: "awaiting_approval",
    to: "revising",
    actor: input.by,
    face: input.face ?? "thread",
    reason: "revision requested",
    patch: { revisionFeedback: input.feedback },
  });
  if (!revising) return { kind: "not_waiting", task };
  await enqueueTaskJob(deps.queue, revising, "plan");
  await deps.status.refresh(revising);
  return { kind: "revising", task: revising };
}
