import type { Task } from "../tasks/model.ts";

/**
 * Where the agent works: a fresh working copy of the task's repository, at the
 * base branch. The git implementation (mirror cache + worktree) is in
 * workspace/index.ts; tests of the foundation use a temporary directory.
 */
export interface Checkout {
  dir: string;
  baseBranch: string;
  dispose(): Promise<void>;
}

export interface Workspaces {
  checkout(task: Task, options: { token: () => Promise<string>; sizeKb?: number }): Promise<Checkout>;
}
