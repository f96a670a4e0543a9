import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { git, type GitAuth } from "./git.ts";
import { gitlinks, isEmptyDirectory, plainDirectory } from "./nested.ts";
import { forceRemove, removeWorktree } from "./worktree.ts";

/**
 * Recycled worktrees: the warm path. Checking out tens of thousands of files
 * costs seconds; moving a parked worktree into place and checking out the new
 * base only rewrites what changed. When a task ends its worktree is reset to
 * its commit, stripped of every untracked and ignored file (`git clean -ffdx`:
 * the second `-f` removes nested repositories too), its submodule directories
 * emptied (as a checkout leaves them; git never enters them), verified clean
 * by `git status --ignored` and empty submodule directories, detached, and
 * parked under
 * `<dataDir>/spares/<host>/<owner>/<repo>/` (at most `max` per repository);
 * anything that fails means it is deleted instead. Git detects every content
 * change through ctime and inode, which untrusted code cannot forge, so a
 * parked worktree is exactly its commit. It is not cleaned again when claimed:
 * with bubblewrap no repository process outlives its run (in unsafe mode a
 * detached one could, so set sparesPerRepo to 0 there). Moves happen under the
 * mirror lock.
 */

/** `<dataDir>/mirrors/h/o/r.git` → `<dataDir>/spares/h/o/r`. */
export function sparesDirOf(dataDir: string, mirror: string): string {
  return join(dataDir, "spares", relative(join(dataDir, "mirrors"), mirror).replace(/\.git$/, ""));
}

async function listDirs(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => join(path, e.name));
}

/** Worktrees of the mirror that belong to tasks (not parked, and still on disk). */
export async function activeWorktrees(mirror: string, sparesDir: string): Promise<string[]> {
  const active: string[] = [];
  for (const admin of await listDirs(join(mirror, "worktrees"))) {
    const gitFile = (await readFile(join(admin, "gitdir"), "utf8").catch(() => "")).trim();
    const dir = gitFile.replace(/\/\.git$/, "");
    if (!dir || dir.startsWith(`${sparesDir}/`)) continue;
    if (
      await stat(dir).then(
        () => true,
        () => false,
      )
    )
      active.push(dir);
  }
  return active;
}

/** Empties each submodule link's directory (what a checkout leaves); false when one is not a plain directory. */
async function emptySubmodules(dir: string, paths: readonly string[]): Promise<boolean> {
  for (const path of paths) {
    if (!(await plainDirectory(dir, path))) return false;
    for (const entry of await readdir(join(dir, path))) await forceRemove(join(dir, path, entry));
  }
  return true;
}

/** Resets and cleans `dir` to its HEAD commit; false when it cannot be proven clean. */
async function scrub(dir: string): Promise<boolean> {
  try {
    await git(["reset", "--quiet", "--hard", "--no-recurse-submodules"], { cwd: dir });
    await git(["clean", "-ffdxq"], { cwd: dir });
    await git(["checkout", "--quiet", "--detach", "--no-recurse-submodules"], { cwd: dir });
    const links = [...(await gitlinks(dir)).keys()];
    if (!(await emptySubmodules(dir, links))) return false;
    const status = await git(["status", "--porcelain", "--ignored", "--untracked-files=all", "--ignore-submodules=all"], { cwd: dir });
    const empty = await Promise.all(links.map(async (path) => (await plainDirectory(dir, path)) && (await isEmptyDirectory(join(dir, path)))));
    return status.stdout === "" && empty.every(Boolean);
  } catch {
    return false;
  }
}

/**
 * Parks the worktree for reuse, or removes it. `locked` runs its function with
 * the mirror lock held; the scrub and a removal run outside it.
 */
export async function parkOrRemove(mirror: string, dir: string, sparesDir: string, max: number, locked: <T>(fn: () => Promise<T>) => Promise<T>): Promise<void> {
  const clean = max > 0 && (await listDirs(sparesDir)).length < max && (await scrub(dir));
  const parked =
    clean &&
    (await locked(async () => {
      if ((await listDirs(sparesDir)).length >= max) return false;
      await mkdir(sparesDir, { recursive: true, mode: 0o700 });
      return git(["worktree", "move", dir, join(sparesDir, randomUUID())], { cwd: mirror }).then(
        () => true,
        () => false,
      );
    }));
  // Removal needs no lock: `git worktree prune` leaves worktrees being added alone.
  if (!parked) await removeWorktree(mirror, dir);
}

/**
 * Moves a parked worktree to `dest` and checks out `commit` (detached); false
 * when there is none or it cannot be reused (it is removed then). Call with the
 * mirror lock held.
 */
export async function claimSpare(mirror: string, sparesDir: string, dest: string, commit: string, auth: GitAuth): Promise<boolean> {
  for (const spare of await listDirs(sparesDir)) {
    try {
      await git(["worktree", "move", spare, dest], { cwd: mirror });
    } catch {
      await removeWorktree(mirror, spare).catch(() => undefined);
      continue;
    }
    try {
      // No `git clean` here: the spare was proven clean when parked, and nothing runs in it since. For the same
      // reason a spare parked at the very commit wanted needs no checkout at all (the warm path's common case).
      const head = (await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { cwd: dest })).stdout.trim();
      if (head !== commit) await git(["checkout", "--quiet", "--force", "--detach", "--no-recurse-submodules", commit], { cwd: dest, auth });
      return true;
    } catch {
      await removeWorktree(mirror, dest).catch(() => undefined);
    }
  }
  return false;
}

/** Deletes every parked worktree of a mirror (before the mirror itself is evicted). */
export async function removeSpares(mirror: string, sparesDir: string): Promise<void> {
  for (const spare of await listDirs(sparesDir)) await removeWorktree(mirror, spare);
}
