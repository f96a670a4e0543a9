import { stat } from "node:fs/promises";
import { createTaskBranch } from "./branch.ts";
import { WorktreeChanges } from "./changes.ts";
import { commitAll } from "./commit.ts";
import { diffAgainstBase } from "./diff.ts";
import { WorkspaceError } from "./errors.ts";
import type { GitAuth } from "./git.ts";
import { git } from "./git.ts";
import type { CommitOutcome, CommitRequest, Workspace, WorkspaceDiff } from "./port.ts";
import { readMeta, writeMeta } from "./mirror-cache.ts";
import { pushBranch } from "./push.ts";
import { parkOrRemove } from "./spares.ts";
import { forceRemove } from "./worktree.ts";

/**
 * The git implementation of the Workspace port (port.ts): a worktree of the
 * repository's mirror, a private sandbox HOME, and the task's git operations,
 * all scoped to this worktree. `dispose()` parks or removes the worktree,
 * drops the task's local branches from the mirror and the HOME, every step
 * run even if an earlier one failed.
 */
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

  async createBranch(title: string, issueNumber: number | null): Promise<string> {
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
