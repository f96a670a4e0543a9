import type { ChangeRecord } from "../agent/port.ts";
import type { Task } from "../domain/model.ts";
import type { LeftOutPath } from "../domain/left-out.ts";

/**
 * Where the agent works: a fresh working copy of the task's repository, at the
 * base branch (or on the task's branch once it has one: a follow-up, or a
 * retried job). The git implementation (mirror cache + worktree) is
 * task-workspace.ts, prepared by manager.ts and built by from-settings.ts.
 */
export interface Workspaces {
  checkout(task: Task, options: { token: () => Promise<string>; sizeKb?: number }): Promise<Workspace>;
}

/**
 * One task's prepared workspace: the worktree (`dir`), a private HOME for the
 * sandbox (`homeDir`: dependency caches survive from setup to tests, never
 * committed), and the git operations a task needs, all scoped to this
 * worktree. `dispose()` is idempotent and best effort: every step runs even if
 * an earlier one failed, and it throws only if the working copy is still there.
 */
export interface Workspace {
  readonly dir: string;
  readonly homeDir: string;
  readonly baseBranch: string;
  readonly baseSha: string;
  /** The branch checked out, once created (or when prepared on an existing branch). */
  readonly branch: string | null;
  /** Branches this workspace created (persist them: push() is only allowed to those). */
  readonly createdBranches: readonly string[];
  createBranch(title: string, issueNumber: number | null): Promise<string>;
  /** The record of the agent's change: only what it staged is ever committed (changes.ts). */
  readonly changes: ChangeRecord;
  /** Commits the recorded change; what else is in the working copy is listed as left out. The sha is null when nothing changed. */
  commit(request: CommitRequest): Promise<CommitOutcome>;
  push(branch: string, appBranches: Iterable<string>): Promise<void>;
  diff(): Promise<WorkspaceDiff>;
  dispose(): Promise<void>;
}

/** The app's bot user on GitHub: commits are authored by it. */
export interface BotIdentity {
  /** The app's slug, e.g. `openjules` (the bot login is `openjules[bot]`). */
  slug: string;
  /** The numeric user id of `<slug>[bot]` (GET /users/<slug>[bot]). */
  userId: number;
}

export interface CoAuthor {
  login: string;
  id: number;
}

export interface CommitRequest {
  subject: string;
  /** Why the change was made; required. */
  body: string;
  bot: BotIdentity;
  coAuthor?: CoAuthor | null | undefined;
  /** `users.noreply.github.com`, or `users.noreply.<host>` on GitHub Enterprise Server. */
  noreplyDomain?: string | undefined;
}

export interface CommitOutcome {
  /** The new commit, or null when nothing (else) changed. */
  sha: string | null;
  /** What was not committed, and why (nested repositories, submodule directories). */
  leftOut: LeftOutPath[];
}

export type ChangeStatus = "added" | "modified" | "deleted" | "type_changed";

export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  binary: boolean;
}

/** What the task branch changes against the base (diff.ts): the patch, the changed paths, the commit messages to be pushed. */
export interface WorkspaceDiff {
  patch: string;
  files: ChangedFile[];
  commitMessages: string[];
}
