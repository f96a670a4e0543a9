import type { RepoConfig } from "../config/repo-config.ts";
import { jobIds, type TaskDeps } from "./deps.ts";
import type { Task } from "./model.ts";

/**
 * `/approve`: moves the task from awaiting approval to approved, tied to the
 * plan the approver could see, and enqueues execution under an id made of the
 * task and the plan hash. The store's conditional transition makes concurrent
 * approvals execute once; an approval written before the current plan was
 * posted (so aimed at an older plan) is refused.
 */
export type ApproveResult =
  | { kind: "approved"; task: Task }
  | { kind: "not_waiting"; task: Task }
  | { kind: "outdated"; task: Task }
  | { kind: "own_plan"; task: Task }
  | { kind: "already"; task: Task };

export async function approvePlan(
  deps: TaskDeps,
  input: { task: Task; approver: string; note: string; commentCreatedAt: string | null; config: RepoConfig },
): Promise<ApproveResult> {
  const { task, approver, config } = input;
  if (task.state !== "awaiting_approval" || !task.planHash) return { kind: "not_waiting", task };
  if (config.approvers === "others" && approver.toLowerCase() === task.requestedBy.toLowerCase()) return { kind: "own_plan", task };
  if (input.commentCreatedAt && (await planPostedAfter(deps, task, input.commentCreatedAt))) return { kind: "outdated", task };

  const approved = await deps.store.transition(task.id, {
    from: "awaiting_approval",
    to: "approved",
    actor: approver,
    reason: input.note ? `approved: ${input.note}` : "approved",
    planHash: task.planHash,
    patch: { approvedBy: approver, approvedPlanHash: task.planHash },
  });
  if (!approved) return { kind: "already", task: (await deps.store.get(task.id)) ?? task };
  await deps.queue.enqueue({ id: jobIds.execute(approved.id, task.planHash), name: "execute", data: { taskId: approved.id } });
  await deps.status.refresh(approved);
  return { kind: "approved", task: approved };
}

/** Whether the task's current plan was posted after the approving comment was written. */
async function planPostedAfter(deps: TaskDeps, task: Task, commentCreatedAt: string): Promise<boolean> {
  const history = await deps.store.history(task.id);
  const posted = history.filter((e) => e.to === "awaiting_approval").at(-1);
  return posted !== undefined && Date.parse(posted.at) > Date.parse(commentCreatedAt);
}
