import { randomUUID } from "node:crypto";
import { link, open, readFile, rename, stat, unlink, utimes } from "node:fs/promises";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { WorkspaceError } from "./errors.ts";

/**
 * Mutual exclusion per repository mirror, within this process (a promise chain
 * per key) and across processes sharing the data directory (an O_EXCL lock
 * file). The lock file holds `{ pid, host, id }`; while held its mtime is
 * refreshed, so a lock whose owner died is recognised as stale either because
 * its pid is gone (same host) or because it was not refreshed for `staleMs`
 * (any host). A stale lock is moved aside with rename, which only one waiter
 * can win; if what was moved is not the lock judged stale (another waiter
 * replaced it meanwhile) it is linked back. We do not reuse git's own `*.lock`
 * files: they guard single ref/config writes, not a fetch + worktree add.
 */

export interface LockOptions {
  /** Give up waiting after this long (a big first fetch can hold the lock for minutes). */
  timeoutMs?: number;
  /** A lock not refreshed for this long is stale. */
  staleMs?: number;
  retryMs?: number;
}

const chains = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call with the same key has settled (in-process mutex). */
export async function withMutex<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = chains.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  chains.set(key, settled);
  try {
    return await run;
  } finally {
    if (chains.get(key) === settled) chains.delete(key);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The stale lock's content, or null when the lock is live or gone. */
async function staleContent(path: string, staleMs: number): Promise<string | null> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, "utf8")]);
    if (Date.now() - info.mtimeMs > staleMs) return text;
    let owner: { pid?: number; host?: string };
    try {
      owner = JSON.parse(text) as typeof owner;
    } catch {
      // Half-written: its owner is between open and write, or died there (then mtime ages out).
      return null;
    }
    return owner.host === hostname() && typeof owner.pid === "number" && !alive(owner.pid) ? text : null;
  } catch {
    return null; // vanished: free now
  }
}

async function breakStale(path: string, judged: string, id: string): Promise<void> {
  const aside = `${path}.stale-${id}`;
  try {
    await rename(path, aside);
  } catch {
    return; // another waiter broke it first
  }
  const moved = await readFile(aside, "utf8").catch(() => judged);
  if (moved !== judged) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

async function tryCreate(path: string, id: string): Promise<boolean> {
  try {
    const handle = await open(path, "wx", 0o600);
    await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), id }));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** True while some call in this process holds or waits for the lock at `path`. */
export function busyInProcess(path: string): boolean {
  return chains.has(path);
}

/** Holds the lock file at `path` while `fn` runs (and the in-process mutex for the same path). */
export function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 30 * 60_000, staleMs = 60_000, retryMs = 100 } = options;
  return withMutex(path, async () => {
    const id = randomUUID();
    const deadline = Date.now() + timeoutMs;
    while (!(await tryCreate(path, id))) {
      const stale = await staleContent(path, staleMs);
      if (stale !== null) {
        await breakStale(path, stale, id);
        continue;
      }
      if (Date.now() > deadline) {
        throw new WorkspaceError(
          "lock_timeout",
          `Another task kept ${path} locked for more than ${Math.round(timeoutMs / 1000)} s`,
          "Try again when the other task on this repository has finished.",
        );
      }
      await sleep(retryMs);
    }
    const beat = setInterval(
      () => {
        const now = new Date();
        utimes(path, now, now).catch(() => undefined);
      },
      Math.max(1000, Math.floor(staleMs / 3)),
    );
    beat.unref();
    try {
      return await fn();
    } finally {
      clearInterval(beat);
      const owner = await readFile(path, "utf8").catch(() => "");
      if (owner.includes(id)) await unlink(path).catch(() => undefined);
    }
  });
}
