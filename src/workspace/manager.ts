import { chmod, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { branchNotFound, WorkspaceError } from "./errors.ts";
import { deleteMirror, evictLeastRecentlyUsed, lockPathOf } from "./eviction.ts";
import { git, type GitAuth, type TokenProvider } from "./git.ts";
import { withFileLock } from "./lock.ts";
import { checkPayloadSize, mirrorExists, mirrorPath, syncMirror } from "./mirror-cache.ts";
import { remoteHeads } from "./remote-heads.ts";
import { checkCheckoutSize } from "./checkout-size.ts";
import { claimSpare, sparesDirOf } from "./spares.ts";
import type { Workspace } from "./port.ts";
import { TaskWorkspace } from "./task-workspace.ts";
import { addWorktree, forceRemove, removeWorktree } from "./worktree.ts";

/**
 * The workspace port: `prepare()` turns a repository and a base branch into a
 * task's working copy, through the mirror cache (one `ls-remote` for the
 * tips, then a sync of just the named branches under the repository lock), a
 * recycled or fresh worktree, and a private sandbox HOME; then keeps
 * the cache under its cap. Layout under `dataDir`: `mirrors/<host>/<owner>/<repo>.git`
 * (+ `.lock`), `work/<taskId>` (worktree), `home/<taskId>` (sandbox HOME),
 * `spares/<host>/<owner>/<repo>/*` (parked worktrees).
 */

export { WorkspaceError } from "./errors.ts";
export type { TokenProvider } from "./git.ts";
export type { ChangedFile, CoAuthor, CommitOutcome, Workspace, WorkspaceDiff } from "./port.ts";
export type { LeftOutPath } from "../domain/left-out.ts";

export interface WorkspaceManagerOptions {
  dataDir: string;
  /** Cap for all mirrors together; least recently used ones are evicted beyond it. */
  cacheMaxBytes: number;
  /** A repository bigger than this is refused. */
  repoMaxBytes: number;
  /** A commit whose files take more than this when checked out is refused before checkout. Default 8 GiB. */
  checkoutMaxBytes?: number;
  /** A commit with more files than this is refused before checkout. Default 500,000. */
  checkoutMaxFiles?: number;
  /** Parked worktrees kept per repository for the warm path (0 disables recycling). Default 1. */
  sparesPerRepo?: number;
  fetchTimeoutMs?: number;
  /** How long to wait for another task holding the repository's lock. Default 30 min. */
  lockTimeoutMs?: number;
  /** Told about problems that do not fail the task (e.g. eviction errors). */
  onWarning?: (message: string) => void;
}

export interface PrepareRequest {
  taskId: string;
  cloneUrl: string;
  owner: string;
  repo: string;
  /** Branch to start from and open the pull request against; the repository's default branch when absent. */
  baseBranch?: string | null | undefined;
  /** `repository.size` (KB) from the webhook payload: refuses oversize repositories before any transfer. */
  sizeKb?: number | undefined;
  token: TokenProvider;
  /** Work on this existing branch (a follow-up on the app's pull request) instead of the base. */
  branch?: string | undefined;
}

const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

async function checkBranchName(name: string, dir: string): Promise<void> {
  const ok =
    !name.startsWith("-") &&
    (await git(["check-ref-format", "--branch", name], { cwd: dir }).then(
      () => true,
      () => false,
    ));
  if (!ok) throw new WorkspaceError("invalid_input", `${JSON.stringify(name)} is not a valid branch name`, "Name an existing branch of the repository.");
}

/**
 * The base branch (named, or the remote's default) and the branches to sync with their remote tips. A new mirror
 * with its base named skips the `ls-remote`: it fetches every named branch anyway, and a missing one is named from
 * the fetch's error. Otherwise refuses a branch the remote does not have, before any fetch.
 */
async function wantedTips(
  dataDir: string,
  auth: GitAuth,
  request: PrepareRequest,
  timeoutMs: number,
  fresh: boolean,
): Promise<{ baseBranch: string; tips: Map<string, string | null> }> {
  const named = [request.baseBranch, request.branch].filter((b): b is string => Boolean(b));
  if (fresh && request.baseBranch) return { baseBranch: request.baseBranch, tips: new Map(named.map((b) => [b, null])) };
  const heads = await remoteHeads(dataDir, auth, named, timeoutMs);
  const baseBranch = request.baseBranch || heads.defaultBranch;
  if (!baseBranch) throw new WorkspaceError("branch_not_found", "The repository has no default branch (is it empty?)", "Push a first commit, or name a base branch.");
  const tips = new Map<string, string | null>();
  for (const branch of new Set([baseBranch, ...named])) {
    const sha = heads.tips.get(branch);
    if (!sha) throw branchNotFound(branch, request);
    tips.set(branch, sha);
  }
  return { baseBranch, tips };
}

const MEASURED_MAX = 10_000;

export class WorkspaceManager {
  readonly #options: Required<Omit<WorkspaceManagerOptions, "onWarning">> & Pick<WorkspaceManagerOptions, "onWarning">;
  /**
   * Commits already measured within the limits (`<mirror>\0<sha>`). A commit is immutable and the limits are fixed
   * for this manager, so the next task on the same commit (the warm path) skips listing its tree again. Bounded.
   */
  readonly #measured = new Set<string>();

  constructor(options: WorkspaceManagerOptions) {
    if (!(options.cacheMaxBytes > 0) || !(options.repoMaxBytes > 0)) {
      throw new WorkspaceError("invalid_input", "cacheMaxBytes and repoMaxBytes must be positive", "Check JULES_CACHE_MAX_GB and JULES_REPO_MAX_MB.");
    }
    this.#options = { sparesPerRepo: 1, fetchTimeoutMs: 30 * 60_000, lockTimeoutMs: 30 * 60_000, checkoutMaxBytes: 8 * 1024 ** 3, checkoutMaxFiles: 500_000, ...options };
  }

  async prepare(request: PrepareRequest): Promise<Workspace> {
    const { dataDir, repoMaxBytes, sparesPerRepo, fetchTimeoutMs, lockTimeoutMs, checkoutMaxBytes, checkoutMaxFiles } = this.#options;
    if (!TASK_ID.test(request.taskId)) {
      throw new WorkspaceError("invalid_input", `Task id ${JSON.stringify(request.taskId)} is not usable as a directory name`, "This is a bug in the caller.");
    }
    const mirror = mirrorPath(dataDir, request);
    // 0711: the sandbox user must traverse to its bind mounts (run as root, it drops to an unprivileged uid).
    for (const sub of ["", "work", "home"]) {
      await mkdir(join(dataDir, sub), { recursive: true });
      if (sub) await chmod(join(dataDir, sub), 0o711);
    }
    await mkdir(dirname(mirror), { recursive: true, mode: 0o700 });
    if (request.baseBranch) await checkBranchName(request.baseBranch, dataDir);
    if (request.branch) await checkBranchName(request.branch, dataDir);
    const dir = join(dataDir, "work", request.taskId);
    const homeDir = join(dataDir, "home", request.taskId);
    const sparesDir = sparesDirOf(dataDir, mirror);
    const auth: GitAuth = { remoteUrl: request.cloneUrl, token: request.token };
    const locked = <T>(fn: () => Promise<T>) => withFileLock(lockPathOf(mirror), fn, { timeoutMs: lockTimeoutMs });

    const { baseBranch, baseSha } = await locked(async () => {
      checkPayloadSize(request, request.sizeKb, repoMaxBytes);
      const fresh = !(await mirrorExists(mirror));
      const { baseBranch, tips } = await wantedTips(dataDir, auth, request, fetchTimeoutMs, fresh);
      const connect = request.branch ? ([baseBranch, request.branch] as const) : undefined;
      let synced: Map<string, string>;
      try {
        synced = (await syncMirror(mirror, request, request.token, { repoMaxBytes, sizeKb: request.sizeKb, timeoutMs: fetchTimeoutMs, tips, connect })).tips;
      } catch (error) {
        if (error instanceof WorkspaceError && error.code === "repo_too_large") await deleteMirror(dataDir, mirror).catch(() => undefined);
        throw error;
      }
      const tipOf = (branch: string) => {
        const sha = synced.get(branch);
        if (!sha) throw branchNotFound(branch, request);
        return sha;
      };
      const base = tipOf(baseBranch);
      const start = request.branch ? tipOf(request.branch) : base;
      const measuredKey = `${mirror}\0${start}`;
      if (!this.#measured.has(measuredKey)) {
        await checkCheckoutSize(mirror, start, auth, request, { maxBytes: checkoutMaxBytes, maxFiles: checkoutMaxFiles });
        if (this.#measured.size >= MEASURED_MAX) this.#measured.clear();
        this.#measured.add(measuredKey);
      }
      if (!fresh) await removeWorktree(mirror, dir); // a leftover of a crashed run of this task
      if (!(await claimSpare(mirror, sparesDir, dir, start, auth))) await addWorktree({ mirror, dir, commit: start, auth });
      return { baseBranch, baseSha: base };
    });
    const workspace = new TaskWorkspace({ dir, homeDir, mirror, sparesDir, sparesPerRepo, baseBranch, baseSha, branch: request.branch ?? null, auth, locked });
    try {
      if (request.branch) await git(["checkout", "--quiet", "--no-recurse-submodules", "-B", request.branch], { cwd: dir });
      await forceRemove(homeDir);
      await mkdir(homeDir, { mode: 0o700 });
    } catch (error) {
      await workspace.dispose().catch(() => undefined);
      throw error;
    }
    await this.evict([mirror]);
    return workspace;
  }

  /** Evicts least recently used mirrors beyond the cap; returns the evicted paths. Never throws. */
  async evict(protect: string[] = []): Promise<string[]> {
    try {
      return await evictLeastRecentlyUsed(this.#options.dataDir, this.#options.cacheMaxBytes, protect);
    } catch (error) {
      this.#options.onWarning?.(`Mirror cache eviction failed: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }
}
