import { checkRunOutput, pullRequestTitle, renderPullRequestBody } from "../render/pull-request.ts";
import { resolveTarget } from "./1-resolve-target.ts";
import { commitChanges } from "./2-commit-changes.ts";
import { checkPaths } from "./3-check-paths.ts";
import { scanSecrets, type OutgoingText } from "./4-scan-secrets.ts";
import { decideOnTests } from "./5-decide-on-tests.ts";
import { branchUrl, pushBranch } from "./6-push-branch.ts";
import { openPullRequest } from "./7-open-pull-request.ts";
import { reportTests } from "./8-report-tests.ts";
import type { DeliveryInput, DeliveryResult } from "./port.ts";

/**
 * Delivery: from the agent's finished work to a pull request.
 *   1. resolve where the work goes   2. commit   3. check denied paths
 *   4. scan for secrets   5. apply `on_test_failure`   6. push
 *   7. open (or reuse) the pull request   8. report the tests as a check run
 * Nothing is pushed unless steps 3 to 5 allow it. Errors from GitHub and git
 * are thrown, and every step is safe to repeat when the job is retried: the
 * branch is recorded on the task once pushed, and a retry prepared on it keeps
 * it (the push of an unchanged branch is a no-op); an open pull request for
 * the branch is found before one is opened (and GitHub's "already exists" is
 * answered with it); reviewers and labels are idempotent on GitHub; a second
 * check run with the same name is harmless (the newest is shown).
 */

export { CHECK_NAME } from "./8-report-tests.ts";
export type { DeliveryInput, DeliveryResult } from "./port.ts";

export async function deliver(input: DeliveryInput): Promise<DeliveryResult> {
  const { task, plan, outcome, config, workspace, secrets } = input;
  const target = await resolveTarget(input);
  if (target.kind === "settled") return target.result;

  const commit = await commitChanges(input);
  const diff = await workspace.diff();
  if (diff.files.length === 0 || (commit.sha === null && task.kind === "follow_up")) return { kind: "no_changes" };

  const needsText = target.kind === "new_branch" || target.pullRequest === null;
  const title = pullRequestTitle(task);
  const body = renderPullRequestBody({
    task,
    plan,
    summary: outcome.summary,
    tests: outcome.tests,
    files: diff.files,
    leftOut: commit.leftOut,
    usage: input.usage,
    taskPage: input.taskPage ?? null,
  });
  const check = checkRunOutput(outcome.tests, commit.leftOut);
  const outgoing: OutgoingText[] = [
    ...(needsText
      ? [
          { name: "the pull request title", text: title },
          { name: "the pull request description", text: body },
        ]
      : []),
    { name: "the check run's output", text: `${check.summary}\n${check.text ?? ""}` },
  ];
  const blocked =
    checkPaths(diff.files, config.deny_paths, { secrets, command: config.command }) ??
    (await scanSecrets({ diff, dir: workspace.dir, baseSha: workspace.baseSha, secrets, outgoing, command: config.command }));
  if (blocked) return blocked;

  const decision = decideOnTests(outcome.tests, config);
  if (decision.kind === "abort") return { kind: "aborted_tests_failed", reason: decision.reason };

  const { branch, headSha } = await pushBranch(input, target);
  const existing = target.kind === "existing_branch" ? target.pullRequest : null;
  if (decision.kind === "branch_only" && existing === null) {
    await reportTests(input, headSha, commit.leftOut);
    return { kind: "branch_only", branch, url: branchUrl(input.webBase, task, branch) };
  }
  const { pr, created } = await openPullRequest(input, {
    branch,
    text: needsText ? { title, body } : null,
    draft: decision.kind === "pull_request" ? decision.draft : true,
    existing,
  });
  await reportTests(input, headSha, commit.leftOut);
  return { kind: "pull_request", number: pr.number, url: pr.url, branch, draft: pr.draft, testsPassed: outcome.tests.passed, created, headSha };
}
