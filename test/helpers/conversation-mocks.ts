/**
 * GitHub's side of each phase of a task's conversation, as named GitHubMock
 * set-ups: what the worker asks GitHub when it handles a `/jules` comment,
 * plans, handles an `/approve`, and executes. Status comment edits are not
 * listed per phase (their number depends on how edits coalesce): call
 * `gh.anyEdits()` once. Failures to inject before a comment is accepted are
 * given in order (nock answers interceptors of one path in the order they
 * were set up).
 */
import type { GitHubMock } from "./github-mock.ts";

export interface CommentFailure {
  status: number;
  headers?: Record<string, string>;
}

function commentWithFailures(gh: GitHubMock, issue: number, failures: CommentFailure[]) {
  for (const failure of failures) gh.comments(issue, { status: failure.status, ...(failure.headers ? { headers: failure.headers } : {}) });
  gh.comments(issue);
}

/** `/jules ...` by `login`: config, 👀 on the comment, the role check, the issue, then the status comment. */
export function mockTrigger(gh: GitHubMock, opts: { commentId: number; login?: string; role?: string; issue?: number; statusFailures?: CommentFailure[] }) {
  const issue = opts.issue ?? 1;
  gh.config(null)
    .reaction(opts.commentId)
    .role(opts.login ?? "Codertocat", opts.role ?? "admin")
    .issue(issue);
  commentWithFailures(gh, issue, opts.statusFailures ?? []);
  return gh;
}

/** The plan job: config, the thread for the prompt, then the plan comment. */
export function mockPlanning(gh: GitHubMock, opts: { issue?: number; planFailures?: CommentFailure[] } = {}) {
  const issue = opts.issue ?? 1;
  gh.config(null).issue(issue).threadComments(issue);
  commentWithFailures(gh, issue, opts.planFailures ?? []);
  return gh;
}

/** `/approve` by `login`: config, 👀 on the comment, the role check (the status comment is edited). */
export function mockApproval(gh: GitHubMock, opts: { commentId: number; login: string; role?: string }) {
  return gh
    .config(null)
    .reaction(opts.commentId)
    .role(opts.login, opts.role ?? "write");
}

/**
 * The execute job: config, the issue (to tell whether it was edited since the
 * plan; the prompt's thread is the plan's snapshot, not fetched again), and
 * (the first time in a process, `identity` true) the app's identity for the
 * commit's author.
 * Progress shows in status edits; the pull request is the delivery double's.
 */
export function mockExecution(gh: GitHubMock, opts: { issue?: number; identity?: boolean } = {}) {
  const issue = opts.issue ?? 1;
  gh.config(null).issue(issue);
  return opts.identity === false ? gh : gh.identity();
}
