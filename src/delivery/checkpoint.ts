import { pullRequestTitle } from "../render/pull-request.ts";
import { git } from "../workspace/git.ts";
import { resolveTarget } from "./1-resolve-target.ts";
import { noreplyDomain } from "./2-commit-changes.ts";
import { checkPaths } from "./3-check-paths.ts";
import { scanSecrets } from "./4-scan-secrets.ts";
import { pushBranch } from "./6-push-branch.ts";
import { type Blocked, type DeliveryInput, DeliveryError } from "./port.ts";

/**
 * The work-in-progress checkpoint of a paused task: delivery's own steps,
 * without a pull request.
 *   1. resolve where the work goes (a follow-up's pull request must still be
 *      open and OpenJules'; a resumed task stays on its branch; else a new one)
 *   2. commit only the change (what the agent's tools wrote), as a
 *      `WIP: <title>` commit by the app's bot
 *   3. denied paths   4. the secret scan (every commit to push, the file
 *      names)   6. push (never forced), and record the branch on the task.
 * Nothing is pushed unless 3 and 4 allow it. When nothing changed since the
 * last checkpoint, the branch's head is the checkpoint (nothing is pushed);
 * with no change at all there is none. When the task resumes, its workspace
 * is prepared on the branch (task.branch), so the agent goes on from the
 * commit, and the final delivery adds its commit on top and opens the PR.
 */

export type CheckpointInput = Omit<DeliveryInput, "outcome" | "usage"> & {
  /** Why the task paused, for the commit message ("reached its budget of $2.00 (estimated)"). */
  reason: string;
};

export type CheckpointResult = { kind: "pushed" | "unchanged"; branch: string; sha: string } | { kind: "nothing" } | Blocked;

export async function checkpoint(input: CheckpointInput): Promise<CheckpointResult> {
  const { task, workspace, config, secrets } = input;
  const asDelivery: DeliveryInput = {
    ...input,
    outcome: { summary: input.reason, tests: { command: null, passed: null, summary: "not run: the task paused" }, usage: noUsage },
    usage: null,
  };
  const target = await resolveTarget(asDelivery);
  if (target.kind === "settled") {
    if (target.result.kind === "blocked") return target.result;
    throw new DeliveryError("A checkpoint needs a workspace prepared on the task's branch once the task has one");
  }
  const commit = await workspace.commit({
    subject: `WIP: ${pullRequestTitle(task)}`,
    body: `Work in progress: the task paused (${input.reason}). OpenJules goes on from this commit when the task is resumed.`,
    bot: input.bot,
    noreplyDomain: noreplyDomain(input.webBase),
  });
  if (commit.sha === null) return target.kind === "existing_branch" ? { kind: "unchanged", branch: target.branch, sha: await head(workspace.dir) } : { kind: "nothing" };
  const diff = await workspace.diff();
  const blocked =
    checkPaths(diff.files, config.deny_paths, { secrets, command: config.command }) ??
    (await scanSecrets({ diff, dir: workspace.dir, baseSha: workspace.baseSha, secrets, outgoing: [], command: config.command }));
  if (blocked) return blocked;
  const { branch, headSha } = await pushBranch(asDelivery, target);
  return { kind: "pushed", branch, sha: headSha };
}

const noUsage = { inputTokens: 0, outputTokens: 0, calls: 0, wallMs: 0, costUsd: 0 };

const head = async (dir: string) => (await git(["rev-parse", "HEAD"], { cwd: dir })).stdout.trim();
