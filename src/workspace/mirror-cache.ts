import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { WorkspaceError } from "./errors.ts";
import { git, GitError, type TokenProvider } from "./git.ts";

/**
 * One bare mirror per repository under `<dataDir>/mirrors/<host>/<owner>/<repo>.git`.
 * The first sync is a partial clone (`--filter=blob:none`: all commits and
 * trees, blobs fetched lazily when a worktree checks them out); later syncs
 * are `git fetch --prune` with the same filter. Remote branches land in
 * `refs/remotes/origin/*`, not `refs/heads/*`: task branches live in the
 * mirror's `refs/heads/jules/*` (worktrees share the mirror's refs), and a
 * `--mirror` refspec (`+refs/*:refs/*`) with `--prune` would delete them, and
 * would also fetch every `refs/pull/*`. Tags are not fetched (not needed).
 * A cold mirror is built in a temporary directory and renamed into place, so
 * a crash never leaves a half-made mirror. Callers hold the mirror lock.
 */

export interface RepoRef {
  cloneUrl: string;
  owner: string;
  repo: string;
}

export interface MirrorMeta {
  lastUsedMs: number;
  sizeBytes: number;
}

export const META_FILE = "openjules.json";
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The mirror's path; refuses URLs with credentials, non-HTTP(S) schemes and odd names. */
export function mirrorPath(dataDir: string, ref: RepoRef): string {
  let url: URL;
  try {
    url = new URL(ref.cloneUrl);
  } catch {
    throw new WorkspaceError("invalid_input", `The clone URL ${JSON.stringify(ref.cloneUrl)} is not a URL`, "Use the repository's clone_url from the webhook payload.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new WorkspaceError("invalid_input", `Only http(s) clone URLs are supported, not ${url.protocol}`, "Use the repository's clone_url from the webhook payload.");
  }
  if (url.username || url.password) {
    throw new WorkspaceError("invalid_input", "The clone URL must not contain credentials", "Pass the token through the token provider.");
  }
  for (const name of [ref.owner, ref.repo]) {
    if (!NAME.test(name) || name === "." || name === "..") {
      throw new WorkspaceError("invalid_input", `${JSON.stringify(name)} is not a valid owner or repository name`, "Owner and repository come from the webhook payload.");
    }
  }
  return join(dataDir, "mirrors", url.host.toLowerCase(), ref.owner.toLowerCase(), `${ref.repo.toLowerCase()}.git`);
}

export async function readMeta(path: string): Promise<MirrorMeta | null> {
  try {
    const meta = JSON.parse(await readFile(join(path, META_FILE), "utf8")) as Partial<MirrorMeta>;
    return { lastUsedMs: Number(meta.lastUsedMs) || 0, sizeBytes: Number(meta.sizeBytes) || 0 };
  } catch {
    return null;
  }
}

export async function writeMeta(path: string, meta: MirrorMeta): Promise<void> {
  await writeFile(join(path, META_FILE), JSON.stringify(meta));
}

/** Bytes of objects in a repository (loose + packs + garbage), from `git count-objects -v`. */
export async function repositoryBytes(path: string): Promise<number> {
  const { stdout } = await git(["count-objects", "-v"], { cwd: path });
  const kib = (key: string) => Number(new RegExp(`^${key}: (\\d+)`, "m").exec(stdout)?.[1] ?? 0);
  return (kib("size") + kib("size-pack") + kib("size-garbage")) * 1024;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

function tooLarge(ref: RepoRef, bytes: number, limit: number): WorkspaceError {
  return new WorkspaceError(
    "repo_too_large",
    `${ref.owner}/${ref.repo} is about ${mb(bytes)}, over this OpenJules instance's limit of ${mb(limit)}`,
    "Ask the operator to raise JULES_REPO_MAX_MB, or use OpenJules on a smaller repository.",
  );
}

function fetchFailed(ref: RepoRef, error: unknown): WorkspaceError {
  const auth = error instanceof GitError && error.authFailed;
  const message = `Could not fetch ${ref.owner}/${ref.repo}: ${error instanceof Error ? error.message : String(error)}`;
  return auth
    ? new WorkspaceError("auth_failed", message, "Check that the app is installed on this repository with read access to contents.")
    : new WorkspaceError("fetch_failed", message, "This is usually temporary; try again. If it persists, check that the repository is reachable from the OpenJules host.");
}

/**
 * Untracked files a setup command creates that must never be committed, even
 * when the repository does not ignore them (read from the mirror by every worktree).
 */
const EXCLUDES = ["node_modules/", "__pycache__/", "*.py[co]", ".pytest_cache/", ".mypy_cache/", ".tox/", ".venv/"].join("\n");

const FETCH = ["fetch", "--quiet", "--prune", "--no-tags", "--filter=blob:none", "origin"];

async function createMirror(path: string, ref: RepoRef, token: TokenProvider, timeoutMs: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${randomUUID()}`;
  try {
    await git(["init", "--quiet", "--bare", tmp], { cwd: dirname(path) });
    const settings: [string, string][] = [
      ["core.repositoryformatversion", "1"],
      ["remote.origin.url", ref.cloneUrl],
      ["remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"],
      ["remote.origin.tagOpt", "--no-tags"],
      ["remote.origin.promisor", "true"],
      ["remote.origin.partialCloneFilter", "blob:none"],
      ["extensions.partialClone", "origin"],
      ["fetch.writeCommitGraph", "true"],
    ];
    for (const [key, value] of settings) await git(["config", key, value], { cwd: tmp });
    await git(FETCH, { cwd: tmp, auth: { remoteUrl: ref.cloneUrl, token }, timeoutMs });
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

export interface SyncOptions {
  repoMaxBytes: number;
  sizeKb?: number | undefined;
  timeoutMs?: number;
}

/**
 * Brings the mirror up to date with the remote (creating it on first use) and
 * returns its size. Refuses a repository over the limit: before any transfer
 * when the payload's `repository.size` says so, and after the fetch by
 * measuring (the caller then deletes the mirror, see eviction.ts).
 */
export async function syncMirror(path: string, ref: RepoRef, token: TokenProvider, options: SyncOptions): Promise<number> {
  const { repoMaxBytes, sizeKb, timeoutMs = 30 * 60_000 } = options;
  if (sizeKb !== undefined && sizeKb * 1024 > repoMaxBytes) throw tooLarge(ref, sizeKb * 1024, repoMaxBytes);
  try {
    const exists = await stat(join(path, "HEAD")).then(() => true, () => false);
    if (exists) await git(FETCH, { cwd: path, auth: { remoteUrl: ref.cloneUrl, token }, timeoutMs });
    else await createMirror(path, ref, token, timeoutMs);
  } catch (error) {
    throw error instanceof WorkspaceError ? error : fetchFailed(ref, error);
  }
  await mkdir(join(path, "info"), { recursive: true });
  await writeFile(join(path, "info", "exclude"), `${EXCLUDES}\n`);
  const bytes = await repositoryBytes(path);
  // Still written when too large, so eviction accounts for it until the caller deletes it.
  await writeMeta(path, { lastUsedMs: Date.now(), sizeBytes: bytes });
  if (bytes > repoMaxBytes) throw tooLarge(ref, bytes, repoMaxBytes);
  return bytes;
}
