import { WorkspaceError } from "./errors.ts";
import { git, GitError, type GitAuth } from "./git.ts";

/**
 * The task branch: `jules/<issue-number>-<short-slug>`, the slug made from the
 * task title (lowercase ASCII letters and digits joined by dashes, at most 40
 * characters). If a branch of that name exists on the remote, or locally in
 * the shared mirror (another task of the same repository), `-2`, `-3`, ... is
 * appended. The branch is created in the worktree from its current HEAD.
 */

export const BRANCH_PREFIX = "jules/";
const MAX_SLUG = 40;

/** Pure: "Fix the Ünïcode crash in `parse()`!" → "fix-the-unicode-crash-in-parse". */
export function branchSlug(title: string): string {
  const words = title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (words.length <= MAX_SLUG) return words || "task";
  const cut = words.slice(0, MAX_SLUG + 1);
  const lastDash = cut.lastIndexOf("-");
  const slug = (lastDash >= MAX_SLUG / 2 ? cut.slice(0, lastDash) : cut.slice(0, MAX_SLUG)).replace(/-+$/, "");
  return slug || "task";
}

/** Pure: the preferred name, before uniqueness. */
export function branchName(issueNumber: number | null, title: string): string {
  // A task without an issue (API, CLI, MCP, web app): `jules/<slug>`.
  if (issueNumber === null) return `${BRANCH_PREFIX}${branchSlug(title)}`;
  if (!Number.isSafeInteger(issueNumber) || issueNumber <= 0) {
    throw new WorkspaceError("invalid_input", `Issue number ${issueNumber} is not a positive integer`, "Pass the issue or pull request number the task belongs to.");
  }
  return `${BRANCH_PREFIX}${issueNumber}-${branchSlug(title)}`;
}

/** Pure: `base`, else the first of `base-2`, `base-3`, ... not in `taken`. */
export function firstFreeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

const names = (out: string) =>
  out
    .split("\n")
    .map((line) => line.replace(/^.*\trefs\/heads\/|^refs\/heads\//, "").trim())
    .filter(Boolean);

/** Branch names starting with `base` on the remote and in the mirror. */
async function takenNames(dir: string, base: string, auth: GitAuth): Promise<Set<string>> {
  const remote = await git(["ls-remote", "--heads", "origin", `refs/heads/${base}*`], { cwd: dir, auth });
  const local = await git(["for-each-ref", "--format=%(refname)", `refs/heads/${base}*`], { cwd: dir });
  return new Set([...names(remote.stdout), ...names(local.stdout)]);
}

/** Creates and switches to a unique task branch in the worktree at `dir`; returns its name. */
export async function createTaskBranch(dir: string, title: string, issueNumber: number | null, auth: GitAuth): Promise<string> {
  const base = branchName(issueNumber, title);
  const taken = await takenNames(dir, base, auth);
  for (let attempt = 0; attempt < 5; attempt++) {
    const name = firstFreeName(base, taken);
    try {
      await git(["switch", "--quiet", "--no-recurse-submodules", "--create", name], { cwd: dir });
      return name;
    } catch (error) {
      // Another task of this repository took the name in the meantime: try the next.
      if (!(error instanceof GitError && /already exists/.test(error.stderr))) throw error;
      taken.add(name);
    }
  }
  throw new WorkspaceError("git_failed", `Could not create a branch named like ${base}`, "Try again.");
}
