import { execFile } from "node:child_process";
import { readFile, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { promisify } from "node:util";

/**
 * The task's repository as repository commands see it: read-only, so
 * lifecycle scripts and tools that ask git (lefthook in `prepare`,
 * setuptools-scm, `git describe`, `git status`, `git log`, `git diff`) work,
 * and nothing the sandbox does can change what the host's git later reads.
 *
 * Never the mirror itself: it holds every task's branches, its config and its
 * admin directories. The view is a directory of its own inside the sandbox
 * (GIT_VIEW, on the sandbox's read-only root) made of
 * - the mirror's object store, bound read-only (the same repository: objects
 *   of other branches are no secret from its own code; other repositories'
 *   objects are in other mirrors, never bound);
 * - the worktree's index, bound read-only (git reads it; GIT_OPTIONAL_LOCKS=0
 *   keeps `git status` from trying to refresh it);
 * - generated files: HEAD (the task's branch or commit), packed-refs with that
 *   branch and the repository's tags only, a minimal config (no remote, no
 *   URL, no token, no hooks path, no filters) and the mirror's shallow list;
 * private writable tmpfs for `hooks/` and `info/` (hook installers such as
 * lefthook write there; it vanishes with the command, and the host's git,
 * whose gitdir is the mirror's, never reads it);
 * and the working copy's `.git` reads `gitdir: GIT_VIEW` (bound over the
 * real pointer). `git commit`, `git config`, `git tag`, `git add` fail on
 * the read-only files; a lazy fetch of a missing blob has no remote to ask.
 * Computed on the host, with the app's own git and clean environment, from
 * the worktree's pointer, which the sandbox can never write (it is always
 * bound over); only a worktree of a mirror (`<mirror>/worktrees/<id>`) gets a view.
 */

export const GIT_VIEW = "/run/openjules/git";

export interface GitView {
  /** Host path of the repository's object store. */
  objects: string;
  /** Host path of the worktree's index, when there is one. */
  index: string | null;
  /** Generated files of the view, by name inside it. */
  files: Record<string, string>;
}

const run = promisify(execFile);
const ENV = {
  PATH: "/usr/bin:/bin",
  HOME: "/nonexistent",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  GIT_OPTIONAL_LOCKS: "0",
  LC_ALL: "C",
};

const gitOut = async (cwd: string, args: string[]): Promise<string> =>
  (await run("git", ["-c", "safe.directory=*", "-c", "core.fsmonitor=false", ...args], { cwd, env: ENV, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 })).stdout;
const gitMaybe = (cwd: string, args: string[]) =>
  gitOut(cwd, args).then(
    (out) => out.trim(),
    () => "",
  );

const inside = (dir: string, path: string) => {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
};

/** The view of the worktree at `workspace`, or null when it is not a worktree of a mirror. */
export async function readGitView(workspace: string): Promise<GitView | null> {
  const dirs = await gitMaybe(workspace, ["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"]);
  const [gitDirRaw, commonRaw] = dirs.split("\n");
  if (!gitDirRaw || !commonRaw) return null;
  const [gitDir, common] = await Promise.all([realpath(gitDirRaw), realpath(commonRaw)]);
  // Only `<mirror>/worktrees/<id>`: never a directory inside the working copy, never the mirror itself.
  if (!inside(join(common, "worktrees"), gitDir) || inside(workspace, common) || inside(common, workspace)) return null;
  const objects = join(common, "objects");
  if (
    !(await stat(objects).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    return null;
  const head = await gitMaybe(workspace, ["rev-parse", "--verify", "-q", "HEAD"]);
  if (!/^[0-9a-f]{40,64}$/.test(head)) return null;
  const branch = await gitMaybe(workspace, ["symbolic-ref", "-q", "HEAD"]);
  const tags = await gitMaybe(workspace, ["for-each-ref", "--format=%(objectname) %(refname)", "refs/tags"]);
  const format = await gitMaybe(workspace, ["config", "--get", "extensions.objectformat"]);
  const shallow = await readFile(join(common, "shallow"), "utf8").catch(() => null);
  const refs = [...(branch.startsWith("refs/heads/") ? [`${head} ${branch}`] : []), ...tags.split("\n").filter((line) => /^[0-9a-f]{40,64} refs\/tags\/\S+$/.test(line))];
  const files: Record<string, string> = {
    HEAD: branch.startsWith("refs/heads/") ? `ref: ${branch}\n` : `${head}\n`,
    config: `[core]\n\trepositoryformatversion = ${format ? 1 : 0}\n\tbare = false\n${/^sha(1|256)$/.test(format) ? `[extensions]\n\tobjectformat = ${format}\n` : ""}`,
    "packed-refs": refs.length ? `${refs.sort((a, b) => (a.split(" ")[1]! < b.split(" ")[1]! ? -1 : 1)).join("\n")}\n` : "",
  };
  if (shallow !== null) files.shallow = shallow;
  const index = join(gitDir, "index");
  return {
    objects,
    index: (await stat(index).then(
      (s) => s.isFile(),
      () => false,
    ))
      ? index
      : null,
    files,
  };
}
