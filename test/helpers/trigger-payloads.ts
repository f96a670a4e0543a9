/**
 * Real webhook payloads (`@octokit/webhooks-examples`) for the triggers that
 * are not commands, rewritten per test: an issue assigned or unassigned, and
 * a review submitted (GitHub's examples have only `commented` reviews; the
 * state is rewritten to the one a test needs).
 */
import { githubClock } from "./github-clock.ts";
import { example } from "./payloads.ts";

let reviewIds = 800_000;

const onHelloWorld = (e: Record<string, unknown>) => (e.repository as { full_name?: string } | undefined)?.full_name === "Codertocat/Hello-World";

/** `issues.assigned` / `issues.unassigned`: `assignee` assigned (or unassigned) by `login`. */
export function issueAssignment(opts: { action: "assigned" | "unassigned"; assignee: string; login?: string; issueNumber?: number }) {
  const payload = example("issues", opts.action, onHelloWorld);
  const login = opts.login ?? "Codertocat";
  payload.assignee = { ...payload.assignee, login: opts.assignee, type: "User" };
  payload.issue.assignees = opts.action === "assigned" ? [payload.assignee] : [];
  payload.issue.assignee = opts.action === "assigned" ? payload.assignee : null;
  payload.sender = { ...payload.sender, login, type: opts.login?.endsWith("[bot]") ? "Bot" : "User" };
  if (opts.issueNumber) payload.issue.number = opts.issueNumber;
  return payload;
}

/** `pull_request_review.submitted` on pull request `pullNumber`, by `login`, in `state`. */
export function reviewSubmitted(opts: { state: "changes_requested" | "approved" | "commented"; body: string | null; login?: string; pullNumber: number; reviewId?: number }) {
  const payload = example("pull_request_review", "submitted");
  const login = opts.login ?? "Codertocat";
  payload.review = {
    ...payload.review,
    id: opts.reviewId ?? reviewIds++,
    state: opts.state,
    body: opts.body,
    submitted_at: githubClock.now(),
    user: { ...payload.review.user, login, type: "User" },
  };
  payload.pull_request.number = opts.pullNumber;
  payload.sender = { ...payload.sender, login, type: "User" };
  return payload;
}
