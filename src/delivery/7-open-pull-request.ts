import type { PullRequestInfo } from "../github/port.ts";
import { DeliveryError, type DeliveryInput } from "./port.ts";

/**
 * 7. The pull request: reused when one is open for the branch (a follow-up's,
 * or one a previous attempt of this job opened), otherwise opened from the
 * branch into the task's base. Then the person who asked is requested as a
 * reviewer (GitHub refusing, because they authored it or are not a
 * collaborator, is logged and does not fail delivery), and the configured
 * labels are added to pull requests of issue tasks (adding a label twice is a
 * no-op, so a retry is harmless; a follow-up leaves labels as people set them).
 */

export interface OpenPullRequestArgs {
  branch: string;
  /** The pull request's text; null when an existing pull request must be there (a follow-up). */
  text: { title: string; body: string } | null;
  draft: boolean;
  existing: PullRequestInfo | null;
}

export async function openPullRequest(input: DeliveryInput, args: OpenPullRequestArgs): Promise<{ pr: PullRequestInfo; created: boolean }> {
  const { gh, task, log } = input;
  let pr = args.existing ?? (await gh.findOpenPullRequest(task, args.branch));
  const created = pr === null;
  if (pr === null) {
    if (args.text === null) throw new DeliveryError(`No open pull request for ${args.branch}, and none may be opened for a follow-up`);
    pr = await gh.createPullRequest(task, { ...args.text, head: args.branch, base: input.workspace.baseBranch, draft: args.draft });
    log.info({ taskId: task.id, pullRequest: pr.number, draft: pr.draft }, "opened the pull request");
  }
  await requestReview(input, pr);
  if (task.kind === "issue" && input.config.labels.length > 0) {
    const labelled = await gh.addLabels(task, pr.number, input.config.labels);
    if (!labelled.ok) log.warn({ taskId: task.id, pullRequest: pr.number, reason: labelled.reason }, "GitHub refused the configured labels");
  }
  return { pr, created };
}

async function requestReview(input: DeliveryInput, pr: PullRequestInfo): Promise<void> {
  const login = input.task.requestedBy;
  const self = [pr.author, `${input.bot.slug}[bot]`].map((l) => l.toLowerCase());
  if (self.includes(login.toLowerCase())) return;
  const requested = await input.gh.requestReviewers(input.task, pr.number, [login]);
  if (!requested.ok) {
    input.log.warn({ taskId: input.task.id, pullRequest: pr.number, login, reason: requested.reason }, "GitHub refused the review request; continuing");
  }
}
