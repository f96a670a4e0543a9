import { pullRequestTitle } from "../render/pull-request.ts";
import type { Task } from "../domain/model.ts";
import { git } from "../workspace/git.ts";
import type { Target } from "./1-resolve-target.ts";
import type { DeliveryInput } from "./port.ts";

/**
 * 6. Push: a new task's branch is created now (`jules/<issue>-<slug>`, made
 * unique against the remote), an existing one is kept. The push is never
 * forced and only to a branch the app created: the workspace refuses any
 * branch not in the list it is given, which is the branch it created itself,
 * or the task's recorded branch. Once pushed, the branch is recorded on the
 * task (before a pull request exists, so a retry continues on it).
 */

export interface Pushed {
  branch: string;
  /** The commit now at the head of the branch. */
  headSha: string;
}

export async function pushBranch(input: DeliveryInput, target: Exclude<Target, { kind: "settled" }>): Promise<Pushed> {
  const { task, workspace } = input;
  const branch = target.kind === "existing_branch" ? target.branch : await workspace.createBranch(pullRequestTitle(task), task.issueNumber);
  const appBranches = target.kind === "existing_branch" ? [target.branch] : workspace.createdBranches;
  await workspace.push(branch, appBranches);
  await input.recordBranch(branch);
  const headSha = (await git(["rev-parse", "HEAD"], { cwd: workspace.dir })).stdout.trim();
  input.log.info({ taskId: task.id, branch, headSha }, "pushed the task branch");
  return { branch, headSha };
}

/** Pure: the branch's page on GitHub. */
export function branchUrl(webBase: string, task: Pick<Task, "owner" | "repo">, branch: string): string {
  const path = [task.owner, task.repo, "tree", ...branch.split("/")].map(encodeURIComponent).join("/");
  return `${webBase.replace(/\/+$/, "")}/${path}`;
}
