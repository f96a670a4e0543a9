import { WorkspaceError } from "./errors.ts";
import { git, GitError, type GitAuth } from "./git.ts";

/**
 * Pushes the task branch, and nothing else. Never forced: the refspec is a
 * plain `refs/heads/<b>:refs/heads/<b>` (no `+`, no `--force*`), so the remote
 * refuses anything that is not a fast-forward. Never to a branch the app did
 * not create: the caller passes the branches it created for this task (from
 * the task record, so this survives restarts) and any other name throws
 * before git runs.
 */

export interface PushRequest {
  dir: string;
  branch: string;
  /** Branches the app created for this task; pushing any other branch is refused. */
  appBranches: Iterable<string>;
  auth: GitAuth;
}

/** Pure: throws unless `branch` is a plain branch name the app created. */
export function assertPushable(branch: string, appBranches: Iterable<string>): void {
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.startsWith("-") || branch.includes("..")) {
    throw new WorkspaceError("push_refused", `Refusing to push ${JSON.stringify(branch)}: not a plain branch name`, "Only the task's own branch is ever pushed.");
  }
  if (!new Set(appBranches).has(branch)) {
    throw new WorkspaceError("push_refused", `Refusing to push to ${branch}: OpenJules did not create that branch for this task`, "OpenJules only pushes to branches it created.");
  }
}

export async function pushBranch(request: PushRequest): Promise<void> {
  const { dir, branch, appBranches, auth } = request;
  assertPushable(branch, appBranches);
  const refspec = `refs/heads/${branch}:refs/heads/${branch}`;
  try {
    await git(["push", "--quiet", "--no-verify", "origin", refspec], { cwd: dir, auth });
  } catch (error) {
    if (error instanceof GitError && error.authFailed) {
      throw new WorkspaceError("auth_failed", `Could not push ${branch}: ${error.message}`, "Check that the app has write access to contents on this repository.", {
        cause: error,
      });
    }
    const why = error instanceof GitError ? rejection(error.stderr) : null;
    if (why === "moved") {
      throw new WorkspaceError(
        "push_rejected",
        `Could not push ${branch}: the branch moved on GitHub (someone pushed to it) after OpenJules checked it out, and OpenJules never force-pushes over other commits. Nothing was overwritten.`,
        "Comment again with what you want (on the pull request, if there is one): the new run starts from the branch as it is on GitHub now, with those commits.",
        { cause: error },
      );
    }
    if (why === "refused") {
      throw new WorkspaceError(
        "push_rejected",
        `GitHub refused the push of ${branch}: ${error instanceof Error ? error.message : String(error)}`,
        "A branch protection rule or a hook on the repository refuses the app's push: a maintainer must allow the app to push to its own branches, then start the task again.",
        { cause: error },
      );
    }
    throw new WorkspaceError("push_failed", `Could not push ${branch}: ${error instanceof Error ? error.message : String(error)}`, "This is usually temporary; try again.", {
      cause: error,
    });
  }
}

/**
 * Pure: why git's push status (stderr, where a refused ref is always listed,
 * even with --quiet) refused the ref, if it did: `moved` when the remote
 * branch is not an ancestor of ours (non-fast-forward, fetch first), `refused`
 * when the server declined it (protected branch, hook). Retrying cannot fix
 * either; anything else (network, server error) may be temporary.
 */
export function rejection(stderr: string): "moved" | "refused" | null {
  if (/\[remote rejected\]/.test(stderr)) return "refused";
  if (/\[rejected\]|non-fast-forward|\(fetch first\)|stale info/.test(stderr)) return "moved";
  return null;
}
