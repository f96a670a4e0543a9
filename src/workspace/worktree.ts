import { execFile } from "node:child_process";
import { rm, stat } from "node:fs/promises";
import { promisify } from "node:util";
import { WorkspaceError } from "./errors.ts";
import { git, type GitAuth } from "./git.ts";

/**
 * A task's working copy: `git worktree add` from the repository's mirror.
 * Chosen over a clone because nothing is copied (the mirror's objects are
 * used in place) and a worktree recycled for the next task (spares.ts) only
 * rewrites what changed. The files are written by parallel checkout workers
 * (the mirror's `checkout.workers`, see mirror-cache.ts). The worktree's `.git` is a one-line
 * file pointing into the mirror; repository code never sees it (the sandbox
 * binds a read-only view over it, see sandbox/git-view.ts), no credentials
 * are stored anywhere, and hooks are disabled for every git command we run,
 * so the mirror is only ever written by us.
 */

export interface AddWorktreeOptions {
  mirror: string;
  dir: string;
  /** Commit to check out (detached), e.g. the base branch's tip. */
  commit: string;
  auth: GitAuth;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** `rm -rf`, first making everything writable: repository code may leave `chmod 000` directories behind. */
export async function forceRemove(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    await promisify(execFile)("chmod", ["-R", "u+rwX", "--", dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Removes a worktree and its registration in the mirror, even when half made. */
export async function removeWorktree(mirror: string, dir: string): Promise<void> {
  // Deleting the files ourselves is as fast as `git worktree remove` and also works when git cannot read them.
  await forceRemove(dir).catch(() => undefined);
  await git(["worktree", "prune"], { cwd: mirror }).catch(() => undefined);
  if (await exists(dir)) {
    throw new WorkspaceError("git_failed", `Could not remove the working copy ${dir}`, "The operator should check the data directory's permissions.");
  }
}

/**
 * Creates a fresh worktree at `dir` (replacing a leftover of a crashed run of the same task). Call after
 * removeWorktree(mirror, dir) on a mirror that may have worktrees registered; a new mirror has none.
 */
export async function addWorktree(options: AddWorktreeOptions): Promise<void> {
  const { mirror, dir, commit, auth } = options;
  if (await exists(dir)) await removeWorktree(mirror, dir);
  try {
    await git(["worktree", "add", "--quiet", "--detach", dir, commit], { cwd: mirror, auth });
  } catch (error) {
    await removeWorktree(mirror, dir).catch(() => undefined);
    throw new WorkspaceError("git_failed", `Could not check out ${commit}: ${error instanceof Error ? error.message : String(error)}`, "This is usually temporary; try again.", {
      cause: error,
    });
  }
}
