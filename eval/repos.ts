import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { confinePath } from "../src/security/paths.ts";
import { git as remoteGit, gitEnv } from "../src/workspace/git.ts";
import { configureLikeGitHub, createBareRepo } from "../test/helpers/git/repo.ts";
import type { Change, EvalTask, FileMap } from "./task.ts";

/**
 * The git side of the eval, all with the project's isolated git (no hooks,
 * no user config, nothing from a repository ever runs): a task's repository
 * put on the local git server (files committed, or a user's repository
 * fetched at its base commit), working copies for grading and for the
 * solvability check, changes applied to them (files written, or a patch
 * applied), and the reference solution as files before and after. Local
 * repositories (a user's set names a path; the git server's on disk) are
 * read over git's file transport, which OpenJules's own git refuses: here
 * git runs with the same clean environment and that one protocol allowed.
 */

const MINUTES = 60_000;
const LOCAL_ENV = gitEnv([["protocol.file.allow", "always"]]);

function git(args: string[], options: { cwd: string; input?: string; timeoutMs?: number }): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile("git", args, { cwd: options.cwd, env: LOCAL_ENV, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 5 * MINUTES }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.slice(0, 2).join(" ")} failed: ${(stderr || error.message).trim()}`));
      else resolve({ stdout });
    });
    child.stdin?.on("error", () => {}); // git may exit before reading its input; its own error says why
    child.stdin?.end(options.input ?? "");
  });
}

/** Creates the bare repository `path` holding the task's starting point on `main`; returns its commit. */
export async function publishTask(task: EvalTask, path: string): Promise<string> {
  if (task.source.kind === "files") {
    await createBareRepo(path, [{ files: task.source.files, message: `${task.name}: the repository as the agent finds it` }]);
  } else {
    await mkdir(path, { recursive: true });
    await git(["init", "--quiet", "--bare", "--initial-branch=main", path], { cwd: path });
    await configureLikeGitHub(path);
    const want = task.source.baseCommit ?? "HEAD";
    const fetched = await git(["fetch", "--quiet", "--no-tags", task.source.url, want], { cwd: path, timeoutMs: 30 * MINUTES }).then(
      () => true,
      () => false,
    );
    // A server that refuses a commit id in a fetch: every branch, then the commit among them.
    if (!fetched) await git(["fetch", "--quiet", "--no-tags", task.source.url, "+refs/heads/*:refs/eval-source/*"], { cwd: path, timeoutMs: 30 * MINUTES });
    const sha = (await git(["rev-parse", "--verify", `${fetched ? "FETCH_HEAD" : want}^{commit}`], { cwd: path })).stdout.trim();
    await git(["update-ref", "refs/heads/main", sha], { cwd: path });
    if (!fetched) {
      const refs = (await git(["for-each-ref", "--format=%(refname)", "refs/eval-source"], { cwd: path })).stdout.split("\n").filter(Boolean);
      for (const ref of refs) await git(["update-ref", "-d", ref], { cwd: path });
    }
  }
  return (await git(["rev-parse", "refs/heads/main"], { cwd: path })).stdout.trim();
}

/** A working copy of `branch` of the repository at `url` in a new temporary directory (the sandbox needs its .git). */
export async function cloneBranch(url: string, branch: string, token: string | null, parent = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, "openjules-eval-wc-"));
  const auth = token ? { remoteUrl: url, token: async () => token } : undefined;
  await remoteGit(["clone", "--quiet", "--no-tags", "--branch", branch, url, dir], { cwd: parent, auth, timeoutMs: 30 * MINUTES });
  return dir;
}

/** A working copy of a repository on this machine's disk (its default branch), in a new temporary directory. */
export async function cloneLocal(bare: string, parent = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, "openjules-eval-wc-"));
  await git(["clone", "--quiet", "--no-tags", bare, dir], { cwd: parent });
  return dir;
}

export async function writeFiles(dir: string, files: FileMap): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const file = await confinePath(dir, path, { write: true, denyPaths: [] });
    await mkdir(dirname(file.abs), { recursive: true });
    await writeFile(file.abs, content);
  }
}

/** Applies a change to a working copy: files written over it, or a unified diff through `git apply`. */
export async function applyChange(dir: string, change: Change): Promise<void> {
  if (change.kind === "files") return writeFiles(dir, change.files);
  await git(["apply", "--whitespace=nowarn", "-"], { cwd: dir, input: change.patch.endsWith("\n") ? change.patch : `${change.patch}\n` });
}

/** One file of the reference solution: its text before (null: new) and after (null: deleted). */
export interface ReferenceFile {
  path: string;
  before: string | null;
  after: string | null;
}

/** The files the reference solution changes, read from the published repository `bare` at `base`. */
export async function referenceFiles(reference: Change, bare: string, base: string): Promise<ReferenceFile[]> {
  const dir = await mkdtemp(join(tmpdir(), "openjules-eval-ref-"));
  try {
    await git(["clone", "--quiet", "--no-tags", bare, dir], { cwd: tmpdir() });
    await git(["checkout", "--quiet", "--detach", base], { cwd: dir });
    const paths =
      reference.kind === "files"
        ? Object.keys(reference.files)
        : (await git(["apply", "--numstat", "-z", "-"], { cwd: dir, input: reference.patch.endsWith("\n") ? reference.patch : `${reference.patch}\n` })).stdout
            .split("\0")
            .filter(Boolean)
            .map((entry) => entry.split("\t").slice(2).join("\t"));
    const before = await Promise.all(paths.map((path) => readIfThere(dir, path)));
    await applyChange(dir, reference);
    const after = await Promise.all(paths.map((path) => readIfThere(dir, path)));
    return paths.map((path, i) => ({ path, before: before[i]!, after: after[i]! })).filter((f) => f.before !== f.after);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function readIfThere(dir: string, path: string): Promise<string | null> {
  const file = await confinePath(dir, path, { write: false, denyPaths: [] });
  return readFile(file.abs, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
}
