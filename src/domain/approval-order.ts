/**
 * Which plan an approval answers, decided with GitHub's own ordering only,
 * never with the app's clock against GitHub's:
 * - An issue comment (the conversation of an issue or pull request) answers
 *   the current plan when its id is larger than the plan comment's: GitHub
 *   numbers issue comments from one increasing sequence, so a larger id was
 *   written later, whatever either clock says.
 * - A pull request review or review comment has ids from other sequences, so
 *   its `created_at` is compared with the plan comment's `created_at` as
 *   GitHub returned it (both GitHub's clock, whole seconds), and the same
 *   second counts as after: a person cannot have answered a plan before
 *   GitHub stamped it, and an approval refused for a second is worse than
 *   one honoured for a plan posted within that second.
 * When the plan comment's `created_at` is unknown (tasks from before it was
 * kept), a review cannot be ordered and is refused; an issue comment still
 * can be.
 */
export interface PlanComment {
  id: number | null;
  /** As GitHub returned it. */
  createdAt: string | null;
}

export interface ApprovalComment {
  source: "issue" | "review_comment" | "review";
  id: number;
  /** As GitHub's webhook payload gave it. */
  createdAt: string;
}

export function answersCurrentPlan(plan: PlanComment, approval: ApprovalComment): boolean {
  if (approval.source === "issue" && plan.id !== null) return approval.id > plan.id;
  const planSecond = wholeSecond(plan.createdAt);
  const approvalSecond = wholeSecond(approval.createdAt);
  if (planSecond === null || approvalSecond === null) return false;
  return approvalSecond >= planSecond;
}

/** A GitHub timestamp as whole seconds since the epoch; null when absent or unreadable. */
function wholeSecond(at: string | null): number | null {
  if (!at) return null;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}
