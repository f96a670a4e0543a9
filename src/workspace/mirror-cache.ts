import { randomUUID } from "node:crypto";
import { appendFile, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { branchNotFound, fetchFailed, WorkspaceError } from "./errors.ts";
import { git, GitError, type TokenProvider } from "./git.ts";

/**
 * One bare mirror per repository under `<dataDir>/mirrors/<host>/<owner>/<repo>.git`.
 * The mirror fetches only the branches a task names (its base, and the branch
 * of a follow-up), each as its tip alone (`--depth=1`, blobs included): the
 * first task costs what `git clone --depth 1` costs, in one upload-pack
 * request, and a repository whose served history is itself shallow works the
 * same. A new mirror fetches the named branches without asking the remote
 * first (a missing branch is named from the fetch's error). Later syncs fetch
 * a branch only when its remote tip moved (known from one `ls-remote`, see
 * remote-heads.ts), again as its tip: objects the mirror already has are not
 * sent again, and when nothing moved no git command reaches the remote and the
 * size measured last time stands. History is deepened only when a task needs
 * it: a follow-up's branch and its base are deepened, in a few growing
 * batches, until they meet, so `base..branch` is the branch's own commits.
 * New mirrors are not partial clones, so no object is ever fetched lazily,
 * one request at a time: a missing object is an error, not a request (mirrors
 * made as partial clones by older versions still work: their missing blobs
 * are fetched in one batch, see checkout-size.ts). Remote branches land in
 * `refs/remotes/origin/*`, not `refs/heads/*`: task branches live in the
 * mirror's `refs/heads/jules/*` (worktrees share the mirror's refs). Tags
 * come only with the commits they point at (a tagged tip). History stays
 * shallow on purpose (see README, "Checkout"). A cold mirror is built in a temporary directory
 * and renamed into place, so a crash never leaves a half-made mirror. Callers
 * hold the mirror lock.
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

/**
 * Untracked files a setup command creates that must never be committed, even
 * when the repository does not ignore them (read from the mirror by every worktree).
 */
const EXCLUDES = ["node_modules/", "__pycache__/", "*.py[co]", ".pytest_cache/", ".mypy_cache/", ".tox/", ".venv/"].join("\n");

/**
 * Every fetch: named refs only, no submodules, nothing written to FETCH_HEAD.
 * Tags are followed (git's default): a tag pointing at a commit being fetched
 * comes along in the same request, so `git describe` on a tagged tip names
 * its tag; tags elsewhere in history are never fetched.
 */
const FETCH = ["fetch", "--quiet", "--no-write-fetch-head", "--recurse-submodules=no"];
const refspec = (branch: string) => `+refs/heads/${branch}:refs/remotes/origin/${branch}`;
/** Deepening steps for a follow-up whose branch and base do not meet yet; then the whole history. */
const DEEPEN = [64, 1024, 16_384];

async function initMirror(path: string, ref: RepoRef): Promise<void> {
  await git(["init", "--quiet", "--bare", path], { cwd: dirname(path) });
  // One command for the remote's URL and fetch refspec (fetches name their refspecs anyway).
  await git(["remote", "add", "origin", ref.cloneUrl], { cwd: path });
  // Checkouts in its worktrees write files with one worker per core (git's own `checkout--worker`: no filter,
  // no repository code). Fixed text appended to the config only we write, before the mirror is in place.
  await appendFile(join(path, "config"), "[checkout]\n\tworkers = 0\n");
}

/** The mirror's copies of the remote's branches (`refs/remotes/origin/*`) that point at commits, in one command. */
export async function localTips(path: string): Promise<Map<string, string>> {
  const { stdout } = await git(["for-each-ref", "--format=%(objectname) %(objecttype) %(refname)", "refs/remotes/origin/"], { cwd: path });
  const tips = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const match = /^([0-9a-f]{40,64}) commit refs\/remotes\/origin\/(.+)$/.exec(line);
    if (match?.[1] && match[2]) tips.set(match[2], match[1]);
  }
  return tips;
}

const meets = (path: string, a: string, b: string) =>
  git(["merge-base", `refs/remotes/origin/${a}`, `refs/remotes/origin/${b}`], { cwd: path }).then(
    () => true,
    () => false,
  );

const isShallow = async (path: string) => (await git(["rev-parse", "--is-shallow-repository"], { cwd: path })).stdout.trim() === "true";

/** Deepens `base` and `branch` until they share a commit, in at most `DEEPEN.length + 1` fetches; unrelated histories stay as they are. */
async function connect(path: string, [base, branch]: readonly [string, string], run: (args: string[]) => Promise<unknown>): Promise<boolean> {
  let fetched = false;
  for (const step of [...DEEPEN, 0]) {
    if ((await meets(path, base, branch)) || !(await isShallow(path))) break;
    await run([...FETCH, step ? `--deepen=${step}` : "--unshallow", "origin", refspec(base), refspec(branch)]);
    fetched = true;
  }
  return fetched;
}

/** Refuses a repository whose payload size (`repository.size`, KB) is over the limit, before any request. */
export function checkPayloadSize(ref: RepoRef, sizeKb: number | undefined, repoMaxBytes: number): void {
  if (sizeKb !== undefined && sizeKb * 1024 > repoMaxBytes) throw tooLarge(ref, sizeKb * 1024, repoMaxBytes);
}

export interface SyncOptions {
  repoMaxBytes: number;
  sizeKb?: number | undefined;
  timeoutMs?: number;
  /**
   * The branches to bring up to date, each with its remote tip (from remoteHeads()), or null when the remote was
   * not asked: a new mirror fetches every named branch without asking first.
   */
  tips: ReadonlyMap<string, string | null>;
  /** A follow-up's base and branch: their histories are deepened until they meet. */
  connect?: readonly [string, string] | undefined;
}

export interface SyncResult {
  bytes: number;
  /** The mirror's tip of every branch named in `tips`. */
  tips: Map<string, string>;
}

export const mirrorExists = (path: string) =>
  stat(join(path, "HEAD")).then(
    () => true,
    () => false,
  );

/** A fetch that failed because a named branch is not on the remote names that branch. */
function fetchError(ref: RepoRef, error: unknown): WorkspaceError {
  if (error instanceof WorkspaceError) return error;
  const missing = error instanceof GitError ? /couldn't find remote ref refs\/heads\/(\S+)/.exec(error.stderr)?.[1] : undefined;
  return missing ? branchNotFound(missing, ref) : fetchFailed(`Could not fetch ${ref.owner}/${ref.repo}`, error);
}

/**
 * Brings the named branches of the mirror up to date with the remote
 * (creating the mirror on first use) and returns its size and their tips.
 * Refuses a repository over the limit: before any transfer when the payload's
 * `repository.size` says so, and after the fetch by measuring (the caller
 * then deletes the mirror, see eviction.ts).
 */
export async function syncMirror(path: string, ref: RepoRef, token: TokenProvider, options: SyncOptions): Promise<SyncResult> {
  const { repoMaxBytes, sizeKb, timeoutMs = 30 * 60_000, tips } = options;
  checkPayloadSize(ref, sizeKb, repoMaxBytes);
  const exists = await mirrorExists(path);
  const target = exists ? path : `${path}.tmp-${randomUUID()}`;
  const run = (args: string[]) => git(args, { cwd: target, auth: { remoteUrl: ref.cloneUrl, token }, timeoutMs });
  let local = new Map<string, string>();
  let fetched = false;
  try {
    if (exists) local = await localTips(target);
    else {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await initMirror(target, ref);
    }
    const stale = [...tips].filter(([branch, sha]) => sha === null || local.get(branch) !== sha).map(([branch]) => branch);
    if (stale.length > 0) {
      // One request for every branch that moved, each as its tip only.
      await run([...FETCH, "--depth=1", "origin", ...stale.map(refspec)]);
      fetched = true;
    }
    if (options.connect && options.connect[0] !== options.connect[1]) fetched = (await connect(target, options.connect, run)) || fetched;
    if (fetched) local = await localTips(target);
    if (!exists) await rename(target, path);
  } catch (error) {
    if (!exists) await rm(target, { recursive: true, force: true });
    throw fetchError(ref, error);
  }
  const result = new Map<string, string>();
  for (const branch of tips.keys()) {
    const sha = local.get(branch);
    if (!sha) throw branchNotFound(branch, ref);
    result.set(branch, sha);
  }
  await mkdir(join(path, "info"), { recursive: true });
  await writeFile(join(path, "info", "exclude"), `${EXCLUDES}\n`);
  // Nothing fetched: the size measured after the last fetch still holds.
  const known = fetched ? null : await readMeta(path);
  const bytes = known?.sizeBytes || (await repositoryBytes(path));
  // Still written when too large, so eviction accounts for it until the caller deletes it.
  await writeMeta(path, { lastUsedMs: Date.now(), sizeBytes: bytes });
  if (bytes > repoMaxBytes) throw tooLarge(ref, bytes, repoMaxBytes);
  return { bytes, tips: result };
}
