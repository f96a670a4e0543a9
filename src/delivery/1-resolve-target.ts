import type { PullRequestInfo } from "../github/port.ts";
import { code, commandWord } from "../render/escape.ts";
import { DeliveryError, type Blocked, type DeliveryInput, type DeliveryResult } from "./port.ts";

/**
 * 1. Where the work goes. A follow-up stays on its pull request's branch, once
 * that pull request is found open and OpenJules' own (its head is task.branch
 * in this repository, and the app's bot opened it): OpenJules never pushes to
 * a branch it did not create. A task resumed on the branch an earlier attempt
 * recorded stays on it. Any other task gets a new branch, created later
 * (after the checks, so a refused change leaves nothing behind). If an
 * earlier attempt already opened a pull request but this workspace was
 * prepared on the base, that pull request is the answer: a retry never opens
 * a second one.
 */

export type Target = { kind: "existing_branch"; branch: string; pullRequest: PullRequestInfo | null } | { kind: "new_branch" } | { kind: "settled"; result: DeliveryResult };

export async function resolveTarget(input: DeliveryInput): Promise<Target> {
  const { task, workspace, gh } = input;
  if (task.kind === "follow_up") return followUpTarget(input);
  if (workspace.branch !== null) {
    if (workspace.branch !== task.branch) {
      throw new DeliveryError(`The workspace is on ${workspace.branch}, which is not the task's recorded branch (${task.branch ?? "none"})`);
    }
    return { kind: "existing_branch", branch: workspace.branch, pullRequest: null };
  }
  if (task.branch !== null) {
    const earlier = await gh.findOpenPullRequest(task, task.branch);
    if (earlier) {
      input.log.warn({ taskId: task.id, pullRequest: earlier.number }, "an earlier attempt already opened the pull request; reusing it");
      const result: DeliveryResult = {
        kind: "pull_request",
        number: earlier.number,
        url: earlier.url,
        branch: task.branch,
        draft: earlier.draft,
        testsPassed: input.outcome.tests.passed,
        created: false,
        headSha: earlier.headSha,
      };
      return { kind: "settled", result };
    }
  }
  return { kind: "new_branch" };
}

async function followUpTarget(input: DeliveryInput): Promise<Target> {
  const { task, workspace, gh, bot } = input;
  if (task.branch === null || workspace.branch !== task.branch) {
    throw new DeliveryError(
      `A follow-up must be delivered from a workspace prepared on its branch (task ${task.branch ?? "has none"}, workspace ${workspace.branch ?? "on the base"})`,
    );
  }
  const number = task.pullRequestNumber ?? task.issueNumber;
  if (number === null) throw new DeliveryError("A follow-up must name the pull request it adds commits to (the task has neither a pull request nor an issue number)");
  const pr = await gh.pullRequest(task, number);
  const blocked = followUpProblem(pr, { branch: task.branch, repo: `${task.owner}/${task.repo}`, botLogin: `${bot.slug}[bot]`, command: input.config.command });
  if (blocked) return { kind: "settled", result: blocked };
  return { kind: "existing_branch", branch: task.branch, pullRequest: pr };
}

/** Pure: why a follow-up may not push to this pull request, or null. */
export function followUpProblem(pr: PullRequestInfo, expected: { branch: string; repo: string; botLogin: string; command: string }): Blocked | null {
  const again = `start a new task with \`/${commandWord(expected.command)} <what to do>\` on the issue`;
  if (pr.state !== "open") {
    return {
      kind: "blocked",
      reason: `Pull request #${pr.number} is ${pr.merged ? "merged" : "closed"}, so there is nothing to add commits to.`,
      hint: pr.merged ? `To change more, ${again}.` : `Reopen it and ask again, or ${again}.`,
    };
  }
  const ours = pr.headRef === expected.branch && pr.headRepo?.toLowerCase() === expected.repo.toLowerCase() && pr.author.toLowerCase() === expected.botLogin.toLowerCase();
  if (!ours) {
    return {
      kind: "blocked",
      reason: `OpenJules only pushes to branches it created, and the branch of pull request #${pr.number} (${code(pr.headRef)}) is not one of them.`,
      hint: `Ask on the issue instead (${again}): OpenJules then opens its own pull request.`,
    };
  }
  return null;
}
