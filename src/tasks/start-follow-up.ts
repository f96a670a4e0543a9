import type { GitHubGateway } from "../github/gateway.ts";
import { planHash } from "./plan-hash.ts";
import { jobIds, type TaskDeps } from "./deps.ts";
import type { Plan, Task } from "./model.ts";
import { threadSnapshot } from "./thread-context.ts";

/**
 * `/jules <feedback>` on a pull request OpenJules opened: a follow-up task in
 * the pull request's thread that runs the agent again on the same branch and
 * pushes new commits. The writer's comment is both the instruction and the
 * approval, so the task goes from queued straight to approved; its "plan" is
 * the feedback itself (with the file and line of a review comment). The
 * pull request's thread is snapshotted now, when the writer asks, and stored
 * with that plan under one hash: execution works from it, not from a refetch.
 */
export type FollowUpResult = { kind: "started"; task: Task } | { kind: "busy"; active: Task } | { kind: "duplicate"; task: Task };

export interface FollowUpInput {
  origin: Task;
  pullRequestNumber: number;
  feedback: string;
  location: { path: string; line: number | null } | null;
  requestedBy: string;
  triggerCommentId: number;
  /** GitHub for the thread snapshot, and the app's own login (its comments stay out of it). */
  gh: GitHubGateway;
  ownLogin: string | null;
}

export async function startFollowUp(deps: TaskDeps, input: FollowUpInput): Promise<FollowUpResult> {
  const { origin } = input;
  const ref = { owner: origin.owner, repo: origin.repo, issueNumber: input.pullRequestNumber, triggerCommentId: input.triggerCommentId };
  // Before the task exists: a GitHub failure here is retried without leaving a task half-started.
  const context = await threadSnapshot(input.gh, ref, deps.now().toISOString(), input.ownLogin);
  const created = await deps.store.create(
    {
      installationId: origin.installationId,
      owner: origin.owner,
      repo: origin.repo,
      issueNumber: input.pullRequestNumber,
      kind: "follow_up",
      cloneUrl: origin.cloneUrl,
      instruction: input.feedback,
      issueTitle: origin.issueTitle,
      requestedBy: input.requestedBy,
      triggerCommentId: input.triggerCommentId,
      baseBranch: origin.baseBranch,
    },
    input.requestedBy,
    `follow-up on pull request #${input.pullRequestNumber}`,
  );
  if (!created.created) {
    return created.active.triggerCommentId === input.triggerCommentId ? { kind: "duplicate", task: created.active } : { kind: "busy", active: created.active };
  }
  const plan = followUpPlan(input);
  const hash = planHash(plan, context);
  const approved = await deps.store.transition(created.task.id, {
    from: "queued",
    to: "approved",
    actor: input.requestedBy,
    reason: "follow-up requested on the pull request",
    patch: {
      plan,
      planHash: hash,
      planContext: context,
      approvedBy: input.requestedBy,
      approvedPlanHash: hash,
      branch: origin.branch,
      pullRequestNumber: input.pullRequestNumber,
      pullRequestUrl: origin.pullRequestUrl,
    },
  });
  if (!approved) return { kind: "busy", active: created.task };
  const task = await deps.status.create(approved);
  await deps.queue.enqueue({ id: jobIds.execute(task.id, hash), name: "execute", data: { taskId: task.id } });
  return { kind: "started", task };
}

function followUpPlan(input: FollowUpInput): Plan {
  const where = input.location ? `${input.location.path}${input.location.line ? ` line ${input.location.line}` : ""}` : null;
  return {
    summary: `Address the feedback on pull request #${input.pullRequestNumber}${where ? ` (on ${where})` : ""}.`,
    steps: [{ title: "Make the requested change on the pull request's branch", detail: input.feedback.slice(0, 4000), files: input.location ? [input.location.path] : [] }],
    risks: [],
    verification: "Run the repository's tests.",
  };
}
