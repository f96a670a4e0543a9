import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { promisify } from "node:util";
import { git, gitEnv } from "../../../src/workspace/git.ts";
import { fastImport, fastImportStream, type CommitSpec } from "./fast-import.ts";

/**
 * Bare repositories on disk for tests, configured like GitHub's: partial clone
 * filters and fetching any object by id are allowed (lazy blob fetches), and
 * non-fast-forward pushes are refused so a force push fails as it would on a
 * protected branch.
 */

export type { CommitSpec };

/** Plain local git (clean environment, no credentials) for test assertions. */
export async function gitOut(cwd: string, ...args: string[]): Promise<string> {
  return (await git(args, { cwd })).stdout.trim();
}

/** Sets a server-side config key of a bare repository with plain git (simple-git warns on keys it does not list as known-safe): test setup only. */
export async function serverConfig(path: string, key: string, value: string): Promise<void> {
  await promisify(execFile)("git", ["config", key, value], { cwd: path, env: gitEnv() });
}

/** Configures a bare repository like GitHub's (see above). */
export async function configureLikeGitHub(path: string): Promise<void> {
  for (const [key, value] of [
    ["uploadpack.allowFilter", "true"],
    ["uploadpack.allowAnySHA1InWant", "true"],
    ["receive.denyNonFastForwards", "true"],
    ["receive.denyDeletes", "true"],
    ["http.receivepack", "true"],
  ] as const) {
    await serverConfig(path, key, value);
  }
}

export async function createBareRepo(path: string, commits: Iterable<CommitSpec>): Promise<void> {
  await mkdir(path, { recursive: true });
  await git(["init", "--quiet", "--bare", "--initial-branch=main", path], { cwd: path });
  await configureLikeGitHub(path);
  await fastImport(path, fastImportStream(commits));
}

/** Adds commits on top of existing branches (or creates new ones). */
export async function addCommits(path: string, commits: CommitSpec[]): Promise<void> {
  const heads = await gitOut(path, "for-each-ref", "--format=%(refname:strip=2)", "refs/heads");
  await fastImport(path, fastImportStream(commits, new Set(heads.split("\n").filter(Boolean))));
}

export const branchSha = (path: string, branch: string) => gitOut(path, "rev-parse", `refs/heads/${branch}`);
