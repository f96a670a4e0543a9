import type { Caller } from "../domain/actor.ts";
import type { Task } from "../domain/model.ts";
import { mentionsCommand } from "../github/commands/parse.ts";
import type { ChangesRequestedEvent, CommentEvent } from "../github/events.ts";
import { renderConfigError } from "../render/config-error.ts";
import { reviewWhileBusy } from "../render/trigger-replies.ts";
import { allow } from "../tasks/control/access.ts";
import { loadRepoConfig } from "../tasks/repo-config.ts";
import { reviewFeedback } from "../tasks/review-feedback.ts";
import { startFollowUp } from "../tasks/start-follow-up.ts";
import type { InboundContext } from "./inbound-context.ts";
import { rememberRoles } from "./role-memo.ts";

/**
 * A review with "Request changes" on a pull request OpenJules opened, by a
 * writer: a follow-up whose feedback is the review's body and all of its line
 * comments (file, line, text; src/tasks/review-feedback.ts), no command
 * needed. The follow-up replies in each of those threads once it has pushed
 * (src/tasks/review-replies.ts). A non-writer's review asks nothing of
 * OpenJules and gets no answer. On any other pull request the review's body
 * is read for a command, as every review's is: that comment is returned.
 */
export async function handleChangesRequested(ctx: InboundContext, event: ChangesRequestedEvent): Promise<CommentEvent | null> {
  const repo = { owner: event.repo.owner, repo: event.repo.repo };
  const origin = await ctx.deps.store.findByPullRequest(repo.owner, repo.repo, event.issueNumber);
  if (!origin?.branch) return mentionsCommand(event.body) ? asReviewComment(event) : null;
  await followUpOnReview(ctx, event, origin);
  return null;
}

async function followUpOnReview(ctx: InboundContext, event: ChangesRequestedEvent, origin: Task): Promise<void> {
  const repo = { owner: event.repo.owner, repo: event.repo.repo };
  const loaded = await loadRepoConfig(ctx.gh, repo);
  if (!loaded.ok) return void (await ctx.gh.comment(repo, event.issueNumber, renderConfigError({ problems: loaded.problems })));
  const login = event.author.login;
  const github = rememberRoles(ctx.deps.github, { installationId: event.installationId, gateway: ctx.gh });
  const caller: Caller = { principal: { kind: "user", login, scopes: ["write"], repositories: null }, face: "thread" };
  const allowed = await allow({ github }, caller, "write", { installationId: event.installationId, ...repo });
  if (!allowed.ok) {
    ctx.deps.log.info(
      { repo: `${repo.owner}/${repo.repo}`, pull: event.issueNumber, reviewer: login },
      "a review requesting changes by someone without write access: no follow-up",
    );
    return;
  }
  const comments = await ctx.gh.reviewComments(repo, event.issueNumber, event.reviewId);
  const feedback = reviewFeedback({ reviewer: login, body: event.body, comments });
  if (!feedback) return;
  const result = await startFollowUp(ctx.deps, {
    origin,
    pullRequestNumber: event.issueNumber,
    feedback: feedback.text,
    location: null,
    requestedBy: login,
    command: loaded.config.command,
    triggerCommentId: event.reviewId,
    triggerCreatedAt: event.submittedAt,
    gh: ctx.gh,
    ownLogin: ctx.ownLogin,
    review: { id: event.reviewId, threads: feedback.threads },
  });
  if (result.kind === "busy") await ctx.gh.comment(repo, event.issueNumber, reviewWhileBusy({ login, task: result.active, command: loaded.config.command }));
}

/** The review's body as the comment it is on any other pull request (`/jules ...` in a review). */
function asReviewComment(event: ChangesRequestedEvent): CommentEvent {
  const { reviewId, body, author, submittedAt, ...where } = event;
  return { ...where, kind: "comment", source: "review", commentId: reviewId, body, author, createdAt: submittedAt, location: null };
}
