import type { Context } from "probot";
import { actor, repoInfo, type CommentEvent } from "../events.ts";
import type { Intake } from "../intake.ts";

/** `issue_comment.created`: a comment on an issue or a pull request's conversation. */
export async function onIssueComment(context: Context<"issue_comment.created">, intake: Intake) {
  const { comment, issue, repository, installation } = context.payload;
  if (!installation) return;
  const event: CommentEvent = {
    kind: "comment",
    source: "issue",
    installationId: installation.id,
    repo: repoInfo(repository),
    issueNumber: issue.number,
    isPullRequest: issue.pull_request !== undefined,
    commentId: comment.id,
    body: comment.body ?? "",
    author: actor(comment.user, comment.performed_via_github_app),
    createdAt: comment.created_at,
    location: null,
  };
  await intake.accept(event, context.id);
}

/** `pull_request_review_comment.created`: a comment on a line of a pull request's diff. */
export async function onReviewComment(context: Context<"pull_request_review_comment.created">, intake: Intake) {
  const { comment, pull_request, repository, installation } = context.payload;
  if (!installation) return;
  await intake.accept(
    {
      kind: "comment",
      source: "review_comment",
      installationId: installation.id,
      repo: repoInfo(repository),
      issueNumber: pull_request.number,
      isPullRequest: true,
      commentId: comment.id,
      body: comment.body,
      author: actor(comment.user),
      createdAt: comment.created_at,
      location: { path: comment.path, line: comment.line ?? comment.original_line ?? null },
    },
    context.id,
  );
}

/**
 * `pull_request_review.submitted`: a review with "Request changes" is feedback
 * as a whole (its body and line comments, no command needed); any other
 * review's body is read for a command.
 */
export async function onReview(context: Context<"pull_request_review.submitted">, intake: Intake) {
  const { review, pull_request, repository, installation } = context.payload;
  if (!installation) return;
  if (review.state === "changes_requested") {
    const base = { installationId: installation.id, repo: repoInfo(repository), issueNumber: pull_request.number, isPullRequest: true };
    const submittedAt = review.submitted_at ?? new Date().toISOString();
    await intake.accept({ kind: "changes_requested", ...base, reviewId: review.id, body: review.body ?? "", author: actor(review.user), submittedAt }, context.id);
    return;
  }
  if (!review.body) return;
  await intake.accept(
    {
      kind: "comment",
      source: "review",
      installationId: installation.id,
      repo: repoInfo(repository),
      issueNumber: pull_request.number,
      isPullRequest: true,
      commentId: review.id,
      body: review.body,
      author: actor(review.user),
      createdAt: review.submitted_at ?? new Date().toISOString(),
      location: null,
    },
    context.id,
  );
}
