import type { PullRequestDiff } from "../agent/port.ts";
import type { Task } from "../domain/model.ts";
import type { GitHubGateway } from "../github/port.ts";

/** At most this many of a pull request's changed files are listed for a question about it (3 pages of GitHub's listing). */
export const MAX_PULL_REQUEST_FILES = 300;

/**
 * What a question (task kind `ask`) asked on a pull request reads: the pull
 * request's changed files and patches (GET .../pulls/{n}/files, capped), and
 * the working copy to check out: its head branch when it is a branch of this
 * repository, else (a fork's head) its base branch; either is only read, as
 * a question never changes anything. Null for a question on an issue (or
 * without one).
 */
export async function pullRequestAsked(gh: GitHubGateway, task: Task): Promise<PullRequestDiff | null> {
  if (task.kind !== "ask" || task.issueNumber === null) return null;
  const issue = await gh.issue(task, task.issueNumber);
  if (!issue.isPullRequest) return null;
  const pr = await gh.pullRequest(task, task.issueNumber);
  const { files, more } = await gh.pullRequestFiles(task, task.issueNumber, MAX_PULL_REQUEST_FILES);
  const ours = pr.headRepo?.toLowerCase() === `${task.owner}/${task.repo}`.toLowerCase();
  return { number: pr.number, title: issue.title, baseRef: pr.baseRef, checkedOut: ours ? pr.headRef : pr.baseRef, checkedOutHead: ours, files, more };
}

/** The task as the workspace checks it out: a question on a pull request reads the branch chosen above, never a branch of its own. */
export function checkoutOf(task: Task, pr: PullRequestDiff | null): Task {
  return pr ? { ...task, baseBranch: pr.checkedOut, branch: null } : task;
}
