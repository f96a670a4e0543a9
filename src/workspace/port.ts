import type { Task } from "../domain/model.ts";
import type { Workspace } from "./task-workspace.ts";

/**
 * Where the agent works: a fresh working copy of the task's repository, at the
 * base branch (or on the task's branch once it has one: a follow-up, or a
 * retried job). The git implementation (mirror cache + worktree) is
 * workspace/index.ts, built by from-settings.ts.
 */
export type { Workspace };

export interface Workspaces {
  checkout(task: Task, options: { token: () => Promise<string>; sizeKb?: number }): Promise<Workspace>;
}

/** The app's bot user on GitHub: commits are authored by it. */
export interface BotIdentity {
  /** The app's slug, e.g. `openjules` (the bot login is `openjules[bot]`). */
  slug: string;
  /** The numeric user id of `<slug>[bot]` (GET /users/<slug>[bot]). */
  userId: number;
}
