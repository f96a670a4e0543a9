import { autoApproval } from "../config/approval.ts";
import type { RepoConfig } from "../config/repo-config.ts";
import { answersCurrentPlan, type ApprovalComment } from "../domain/approval-order.ts";
import type { UseCaseDeps } from "./deps.ts";
import { enqueueTaskJob } from "./task-jobs.ts";
import type { Face } from "../domain/actor.ts";
import type { Task } from "../domain/model.ts";

/**
 * Approving a plan: moves the task from awaiting approval to approved, tied
 * to the plan the approver could see, and enqueues execution under an id made
 * of the task and the plan hash. The store's conditional transition makes
 * concurrent approvals execute once. A person's `/approve` answers the
 * current plan only when GitHub ordered it after the plan comment
 * (approval-order.ts: comment ids, else GitHub's own created_at; never the
 * app's clock); one written earlier was aimed at an older plan and is
 * refused. `approval: auto` is recorded as automatic (no approver), and never
 * applies under the four-eyes rule (config/approval.ts). An approval through
 * another face (API, CLI, MCP, web app) has no comment to order (`comment`
 * null): it answers the plan current when it is made, and the four-eyes rule
 * applies to it as to a comment. `face` is recorded in the history.
 */
export type Approval = { kind: "person"; login: string; note: string; comment: ApprovalComment | null; face?: Face } | { kind: "auto" };

export type ApproveResult =
  | { kind: "approved"; task: Task }
  | { kind: "not_waiting"; task: Task }
  | { kind: "outdated"; task: Task }
  | { kind: "own_plan"; task: Task }
  | { kind: "already"; task: Task };

export const AUTO_APPROVAL_REASON = "approved automatically (approval: auto in .github/jules.yml)";

export async function approvePlan(deps: UseCaseDeps, input: { task: Task; approval: Approval; config: RepoConfig }): Promise<ApproveResult> {
  const { task, approval, config } = input;
  if (task.state !== "awaiting_approval" || !task.planHash) return { kind: "not_waiting", task };
  if (approval.kind === "auto" && !autoApproval(config).applies) return { kind: "own_plan", task };
  if (approval.kind === "person") {
    if (config.approvers === "others" && approval.login.toLowerCase() === task.requestedBy.toLowerCase()) return { kind: "own_plan", task };
    if (approval.comment && !answersCurrentPlan({ id: task.planCommentId, createdAt: task.planCommentCreatedAt }, approval.comment)) return { kind: "outdated", task };
  }

  const byPerson = approval.kind === "person";
  const approved = await deps.store.transition(task.id, {
    from: "awaiting_approval",
    to: "approved",
    actor: byPerson ? approval.login : "openjules",
    face: byPerson ? (approval.face ?? "thread") : "system",
    reason: byPerson ? (approval.note ? `approved: ${approval.note}` : "approved") : AUTO_APPROVAL_REASON,
    planHash: task.planHash,
    patch: { approvedBy: byPerson ? approval.login : null, approvalKind: approval.kind, approvedPlanHash: task.planHash },
  });
  if (!approved) return { kind: "already", task: (await deps.store.get(task.id)) ?? task };
  await enqueueTaskJob(deps.queue, approved, { execute: task.planHash });
  await deps.status.refresh(approved);
  return { kind: "approved", task: approved };
}
