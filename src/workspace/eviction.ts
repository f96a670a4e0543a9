import { randomUUID } from "node:crypto";
import { readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { WorkspaceError } from "./errors.ts";
import { busyInProcess, withFileLock } from "./lock.ts";
import { readMeta } from "./mirror-cache.ts";
import { activeWorktrees, removeSpares, sparesDirOf } from "./spares.ts";

/**
 * Keeps the mirror cache under its size cap by deleting the least recently
 * used mirrors. Last use and size are read from each mirror's `openjules.json`
 * (written after every sync and when a task ends). A mirror is never evicted
 * while it is locked (a sync is running) or while tasks' worktrees depend on
 * it, nor when the caller protects it (the repository just prepared); its
 * parked worktrees go with it. Deletion renames the mirror aside first, so a
 * concurrent reader sees it either whole or gone.
 */

export interface MirrorEntry {
  path: string;
  sizeBytes: number;
  lastUsedMs: number;
}

/** Pure: eviction candidates, least recently used first, without the protected ones. */
export function evictionOrder(entries: readonly MirrorEntry[], protect: ReadonlySet<string>): MirrorEntry[] {
  return entries.filter((e) => !protect.has(e.path)).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
}

async function subdirs(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => join(path, e.name));
}

/** Every complete mirror under `<dataDir>/mirrors/<host>/<owner>/<repo>.git`. */
export async function listMirrors(dataDir: string): Promise<MirrorEntry[]> {
  const result: MirrorEntry[] = [];
  for (const host of await subdirs(join(dataDir, "mirrors"))) {
    for (const owner of await subdirs(host)) {
      for (const path of await subdirs(owner)) {
        if (!path.endsWith(".git")) continue;
        const meta = await readMeta(path);
        if (meta) result.push({ path, ...meta });
      }
    }
  }
  return result;
}

const LEFTOVER = /^(.*\.git)\.(tmp|evicting)-[0-9a-f-]{36}$/;

/** Removes half-made mirrors of crashed cold syncs and interrupted evictions. */
async function sweepLeftovers(dataDir: string): Promise<void> {
  for (const host of await subdirs(join(dataDir, "mirrors"))) {
    for (const owner of await subdirs(host)) {
      for (const path of await subdirs(owner)) {
        const match = LEFTOVER.exec(path);
        if (!match?.[1]) continue;
        // A `.tmp-` directory is live while its mirror's lock is held (a cold sync is running).
        if (match[2] === "tmp") {
          if (busyInProcess(lockPathOf(match[1]))) continue;
          await withFileLock(lockPathOf(match[1]), () => rm(path, { recursive: true, force: true }), { timeoutMs: 0 }).catch(() => undefined);
        } else await rm(path, { recursive: true, force: true });
      }
    }
  }
}

export const lockPathOf = (mirror: string) => `${mirror}.lock`;

/** Deletes a mirror and its parked worktrees unless tasks use it; call with its lock held. */
export async function deleteMirror(dataDir: string, mirror: string): Promise<boolean> {
  const spares = sparesDirOf(dataDir, mirror);
  if ((await activeWorktrees(mirror, spares)).length > 0) return false;
  await removeSpares(mirror, spares);
  const aside = `${mirror}.evicting-${randomUUID()}`;
  await rename(mirror, aside);
  await rm(aside, { recursive: true, force: true });
  return true;
}

/** Deletes the mirror unless it is in use; true when it was deleted. */
async function tryEvict(dataDir: string, path: string): Promise<boolean> {
  if (busyInProcess(lockPathOf(path))) return false;
  try {
    return await withFileLock(lockPathOf(path), () => deleteMirror(dataDir, path), { timeoutMs: 0 });
  } catch (error) {
    if (error instanceof WorkspaceError && error.code === "lock_timeout") return false;
    throw error;
  }
}

/** Evicts least recently used mirrors until the cache fits; returns the evicted paths. */
export async function evictLeastRecentlyUsed(dataDir: string, maxBytes: number, protect: readonly string[] = []): Promise<string[]> {
  await sweepLeftovers(dataDir);
  const entries = await listMirrors(dataDir);
  let total = entries.reduce((sum, e) => sum + e.sizeBytes, 0);
  const evicted: string[] = [];
  for (const victim of evictionOrder(entries, new Set(protect))) {
    if (total <= maxBytes) break;
    if (await tryEvict(dataDir, victim.path)) {
      evicted.push(victim.path);
      total -= victim.sizeBytes;
    }
  }
  return evicted;
}
