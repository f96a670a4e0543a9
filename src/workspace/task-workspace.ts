import { stat } from "node:fs/promises";
import { createTaskBranch } from "./branch.ts";
import { WorktreeChanges, type ChangeRecord } from "./changes.ts";
import { commitAll, type CommitOutcome, type CommitRequest } from "./commit.ts";
import { diffAgainstBase, type WorkspaceDiff } from "./diff.ts";
import { WorkspaceError } from "./errors.ts";
import type { GitAuth } from "./git.ts";
import { git } from "./git.ts";
import { readMeta, writeMeta } from "./mirror-cache.ts";
import { pushBranch } from "./push.ts";
import { parkOrRemove } from "./spares.ts";
import { forceRemove } from "./worktree.ts";

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
  createBranch(title: string, issueNumber: number): Promise<string>;
  /** The record of the agent's change: only what it staged is ever committed (changes.ts). */
  readonly changes: ChangeRecord;
  /** Commits the recorded change; what else is in the working copy is listed as left out. The sha is null when nothing changed. */
  commit(request: CommitRequest): Promise<CommitOutcome>;
  push(branch: string, appBranches: Iterable<string>): Promise<void>;
  diff(): Promise<WorkspaceDiff>;
  dispose(): Promise<void>;
}

export interface TaskWorkspaceInit {
  dir: string;
  homeDir: string;
  mirror: string;
  sparesDir: string;
  sparesPerRepo: number;
  baseBranch: string;
  baseSha: string;
  branch: string | null;
  auth: GitAuth;
  locked: <T>(fn: () => Promise<T>) => Promise<T>;
}

export class TaskWorkspace implements Workspace {
  readonly dir: string;
  readonly homeDir: string;
  readonly baseBranch: string;
  readonly baseSha: string;
  branch: string | null;
  readonly createdBranches: string[] = [];
  readonly changes: WorktreeChanges;
  readonly #init: TaskWorkspaceInit;
  #disposed: Promise<void> | null = null;

  constructor(init: TaskWorkspaceInit) {
    this.#init = init;
    this.dir = init.dir;
    this.homeDir = init.homeDir;
    this.baseBranch = init.baseBranch;
    this.baseSha = init.baseSha;
    this.branch = init.branch;
    this.changes = new WorktreeChanges(init.dir);
  }

  async createBranch(title: string, issueNumber: number): Promise<string> {
    const name = await createTaskBranch(this.dir, title, issueNumber, this.#init.auth);
    this.createdBranches.push(name);
    this.branch = name;
    return name;
  }

  commit(request: CommitRequest): Promise<CommitOutcome> {
    return commitAll(this.dir, request, this.changes);
  }

  push(branch: string, appBranches: Iterable<string>): Promise<void> {
    return pushBranch({ dir: this.dir, branch, appBranches, auth: this.#init.auth });
  }

  diff(): Promise<WorkspaceDiff> {
    return diffAgainstBase(this.dir, this.baseSha, this.#init.auth);
  }

  dispose(): Promise<void> {
    this.#disposed ??= this.#dispose();
    return this.#disposed;
  }

  async #dispose(): Promise<void> {
    const { mirror, sparesDir, sparesPerRepo, locked } = this.#init;
    const errors: unknown[] = [];
    const step = (p: Promise<unknown>) => p.catch((error: unknown) => void errors.push(error));
    await step(parkOrRemove(mirror, this.dir, sparesDir, sparesPerRepo, locked));
    // Local task branches are on GitHub once pushed; the mirror need not keep them.
    const branches = [...new Set([...this.createdBranches, ...(this.branch ? [this.branch] : [])])];
    if (branches.length > 0) await step(git(["branch", "--quiet", "-D", ...branches], { cwd: mirror }));
    await step(forceRemove(this.homeDir));
    await step(readMeta(mirror).then((meta) => (meta ? writeMeta(mirror, { ...meta, lastUsedMs: Date.now() }) : undefined)));
    if (
      await stat(this.dir).then(
        () => true,
        () => false,
      )
    ) {
      throw new WorkspaceError("git_failed", `Could not remove the working copy ${this.dir}`, "The operator should check the data directory's permissions.", { cause: errors[0] });
    }
  }
}
