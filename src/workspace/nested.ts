import { lstat, opendir, realpath } from "node:fs/promises";
import { join } from "node:path";
import { git } from "./git.ts";

/**
 * Nested repositories and submodule links in a worktree, which the app never
 * commits and never lets git enter. Repository code in the sandbox can make a
 * git repository anywhere in the worktree (a `.git` directory or file below
 * the root, whatever git thinks of it), or fill the directory of a submodule
 * the repository already links. Committing the first would add a submodule
 * link the task did not have; a git command recursing into either would run
 * that repository's own config on the host. So a commit stages neither (they
 * are reported as left out), and a submodule link stays as the base has it.
 * Everything here reads the index and lstat()s the tree; git runs nothing in
 * those directories.
 */

const GITLINK = "160000";

const lists = (out: string) => out.split("\0").filter(Boolean);

/** Pure: `git ls-files --stage -z` output → submodule link path → the commit it links. */
export function parseGitlinks(stage: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const record of lists(stage)) {
    const match = /^(\d{6}) ([0-9a-f]+) \d+\t(.+)$/s.exec(record);
    if (match?.[1] === GITLINK && match[2] && match[3]) links.set(match[3], match[2]);
  }
  return links;
}

/** The submodule links in the worktree's index. */
export async function gitlinks(dir: string): Promise<Map<string, string>> {
  return parseGitlinks((await git(["ls-files", "--stage", "-z"], { cwd: dir })).stdout);
}

/** Pure: the ancestor directories of a relative path, outermost first ("a/b/c" → ["a", "a/b"]). */
export function ancestors(path: string): string[] {
  const parts = path.replace(/\/+$/, "").split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * Directories (with a trailing `/`) holding a nested repository, among those
 * `git add --all` would stage from: untracked directories git itself sees as
 * repositories, and every directory above an untracked or modified path that
 * has a `.git` entry of any kind. Ignored paths are never staged and not looked at.
 */
export async function nestedRepositories(dir: string): Promise<string[]> {
  const [others, modified] = await Promise.all([git(["ls-files", "-z", "--others", "--exclude-standard"], { cwd: dir }), git(["ls-files", "-z", "--modified"], { cwd: dir })]);
  const found = new Set<string>();
  const hasGit = new Map<string, Promise<boolean>>();
  const holdsGit = (rel: string) => {
    let known = hasGit.get(rel);
    if (!known)
      hasGit.set(
        rel,
        (known = lstat(join(dir, rel, ".git")).then(
          () => true,
          () => false,
        )),
      );
    return known;
  };
  for (const path of [...lists(others.stdout), ...lists(modified.stdout)]) {
    let outer: string | null = null;
    for (const ancestor of ancestors(path)) {
      if (await holdsGit(ancestor)) {
        outer = `${ancestor}/`;
        break;
      }
    }
    // git lists an untracked directory it sees as a repository as that directory, with a trailing slash.
    outer ??= path.endsWith("/") ? path : null;
    if (outer) found.add(outer);
  }
  return [...found].sort();
}

/** True when `rel` and every directory above it inside `root` are real directories (no symlink leads out). */
export async function plainDirectory(root: string, rel: string): Promise<boolean> {
  for (const path of [...ancestors(rel), rel]) {
    const info = await lstat(join(root, path)).catch(() => null);
    if (!info?.isDirectory()) return false;
  }
  return (await realpath(join(root, rel))) === join(await realpath(root), rel);
}

/** Whether a directory has no entry, reading at most one (the sandbox may have filled it with millions). */
export async function isEmptyDirectory(path: string): Promise<boolean> {
  const dir = await opendir(path);
  try {
    return (await dir.read()) === null;
  } finally {
    await dir.close().catch(() => undefined);
  }
}

/**
 * True when a submodule link's directory is not as a checkout leaves it (an empty directory, or absent). Anything
 * but a plain directory reached through plain directories (a file, a symlink, a symlinked parent) counts as touched,
 * so nothing outside the tree is ever read.
 */
export async function submoduleTouched(dir: string, path: string): Promise<boolean> {
  if (!(await lstat(join(dir, path)).catch(() => null))) return false;
  if (!(await plainDirectory(dir, path))) return true;
  return !(await isEmptyDirectory(join(dir, path)));
}

/** Pure: a pathspec excluding `path` (a directory or a file) literally, from the top of the worktree. */
export const excludePathspec = (path: string): string => `:(top,exclude,literal)${path.replace(/\/+$/, "")}`;
