import type { Face } from "../domain/actor.ts";
import type { GitHubGateway } from "../github/port.ts";
import { planHash } from "../domain/plan-hash.ts";
import type { UseCaseDeps } from "./deps.ts";
import { enqueueTaskJob } from "./task-jobs.ts";
import { failTask } from "./fail-task.ts";
import type { CiFailure, Plan, ReviewThreads, Task, TaskState, ThreadSnapshot } from "../domain/model.ts";
import { ciPlan } from "./ci-fix/plan.ts";
import { where } from "./review-feedback.ts";
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
  /** The face it was asked through (thread for a comment on the pull request); recorded in the history. */
  face?: Face;
  /** The command word the follow-up was asked with (jules.yml `command`). */
  command: string;
  /** The comment that asked for it; null for a message through the API, CLI, MCP or web app. */
  triggerCommentId: number | null;
  /** The triggering comment's `created_at` as GitHub sent it (else when the message came): where the thread snapshot stops (GitHub's clock, never the app's). */
  triggerCreatedAt: string;
  /** GitHub for the thread snapshot, and the app's own login (its comments stay out of it). */
  gh: GitHubGateway;
  ownLogin: string | null;
  /** A review that requested changes (its body and line comments are the feedback): kept with the snapshot, its threads answered after the push. */
  review?: ReviewThreads | undefined;
  /** Failing checks to fix (src/tasks/ci-fix): kept with the snapshot; `automatic` ones are approved by `ci_fix: auto`, not by a person. */
  ci?: CiFailure | undefined;
}

export async function startFollowUp(deps: UseCaseDeps, input: FollowUpInput): Promise<FollowUpResult> {
  const { origin } = input;
  const ref = { owner: origin.owner, repo: origin.repo, issueNumber: input.pullRequestNumber, triggerCommentId: input.triggerCommentId };
  // Before the task exists: a GitHub failure here is retried without leaving a task half-started.
  const thread = await threadSnapshot(input.gh, ref, input.triggerCreatedAt, input.ownLogin);
  const context: ThreadSnapshot = { ...thread, ...(input.review ? { review: input.review } : {}), ...(input.ci ? { ci: input.ci } : {}) };
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
      command: input.command,
      face: input.face ?? "thread",
    },
    input.requestedBy,
    `follow-up on pull request #${input.pullRequestNumber}`,
  );
  if (!created.created) {
    const active = "active" in created ? created.active : "replayed" in created ? created.replayed : created.conflict;
    const same = input.triggerCommentId !== null && active.triggerCommentId === input.triggerCommentId;
    return same ? { kind: "duplicate", task: active } : { kind: "busy", active };
  }
  const approved = await approveFollowUp(deps, created.task, origin, { ...input, face: input.face ?? "thread" }, context);
  if (!approved) return { kind: "busy", active: created.task };
  await enqueueTaskJob(deps.queue, approved, { execute: approved.approvedPlanHash ?? "" });
  return { kind: "started", task: approved };
}

/**
 * The execute job of a follow-up the process left before its approval was
 * recorded (it stopped right after creating the task; reconcile.ts gives it
 * this job): finishes starting it as startFollowUp would have, with the
 * thread as it was when the task was created (a review comment's file and
 * line are not kept, the feedback is). Returns the approved task, or null
 * when it cannot go on (then it has failed, with what to do).
 */
export async function resumeFollowUp(deps: UseCaseDeps, task: Task, gh: GitHubGateway, ownLogin: string | null): Promise<Task | null> {
  const origin = task.issueNumber === null ? null : await deps.store.findByPullRequest(task.owner, task.repo, task.issueNumber);
  if (!origin || task.issueNumber === null || origin.id === task.id || !origin.branch) {
    await failTask(deps, task.id, {
      phase: "starting the follow-up",
      reason: `OpenJules restarted before this follow-up started, and it no longer finds the task that opened pull request #${task.issueNumber}.`,
      hint: "Comment again on the pull request with what you want changed.",
    });
    return null;
  }
  const ref = { owner: task.owner, repo: task.repo, issueNumber: task.issueNumber, triggerCommentId: task.triggerCommentId };
  const context = await threadSnapshot(gh, ref, task.createdAt, ownLogin);
  const input = { pullRequestNumber: task.issueNumber, feedback: task.instruction, location: null, requestedBy: task.requestedBy, face: task.face };
  deps.log.warn({ taskId: task.id }, "finishing the start of a follow-up that OpenJules left before it was approved");
  return approveFollowUp(deps, task, origin, input, context);
}

type PlanInput = Pick<FollowUpInput, "pullRequestNumber" | "feedback" | "location" | "requestedBy"> & { face: Face };

/** The plan of a follow-up from a review: a step per thread it answers (their text is in the feedback, given to the agent as data). */
function reviewPlan(input: PlanInput, review: ReviewThreads): Plan {
  const threads = review.threads.map((t) => ({ title: `Answer the review comment on ${where(t)}`, files: [t.path] }));
  return {
    summary: `Make the changes @${input.requestedBy}'s review asks for on pull request #${input.pullRequestNumber}.`,
    steps: [{ title: "Make the changes the review's text asks for on the pull request's branch", files: [] }, ...threads],
    risks: [],
    verification: "Run the repository's tests.",
  };
}

/** The writer's comment is the approval: its plan, bound to the thread snapshot, approved in one move, and the status comment posted. */
async function approveFollowUp(deps: UseCaseDeps, task: Task, origin: Task, input: PlanInput, context: ThreadSnapshot): Promise<Task | null> {
  const plan = context.review ? reviewPlan(input, context.review) : context.ci ? ciPlan(input.pullRequestNumber, context.ci) : followUpPlan(input);
  const automatic = context.ci?.automatic === true;
  const hash = planHash(plan, context);
  const approved = await deps.store.transition(task.id, {
    from: NOT_YET_APPROVED,
    to: "approved",
    actor: automatic ? "openjules" : input.requestedBy,
    face: automatic ? "system" : input.face,
    reason: automatic ? "checks failed on the pull request (ci_fix: auto)" : "follow-up requested on the pull request",
    patch: {
      plan,
      planHash: hash,
      planContext: context,
      approvedBy: automatic ? null : input.requestedBy,
      approvalKind: automatic ? "auto" : "person",
      approvedPlanHash: hash,
      branch: origin.branch,
      pullRequestNumber: input.pullRequestNumber,
      pullRequestUrl: origin.pullRequestUrl,
    },
  });
  return approved ? deps.status.create(approved) : null;
}

/** Where a follow-up can be before its approval is recorded (planning and revising only by an older OpenJules's mistake). */
const NOT_YET_APPROVED: readonly TaskState[] = ["queued", "planning", "awaiting_approval", "revising"];

function followUpPlan(input: PlanInput): Plan {
  const where = input.location ? `${input.location.path}${input.location.line ? ` line ${input.location.line}` : ""}` : null;
  return {
    summary: `Address the feedback on pull request #${input.pullRequestNumber}${where ? ` (on ${where})` : ""}.`,
    steps: [{ title: "Make the requested change on the pull request's branch", detail: input.feedback.slice(0, 4000), files: input.location ? [input.location.path] : [] }],
    risks: [],
    verification: "Run the repository's tests.",
  };
}
