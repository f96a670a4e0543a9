import { randomUUID } from "node:crypto";
import { readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { WorkspaceError } from "./errors.ts";
import { busyInProcess, withFileLock } from "./lock.ts";
import { hasWorktrees, readMeta } from "./mirror-cache.ts";

/**
 * Keeps the mirror cache under its size cap by deleting the least recently
 * used mirrors. Last use and size are read from each mirror's `openjules.json`
 * (written after every sync and when a task ends). A mirror is never evicted
 * while it is locked (a sync is running) or while worktrees depend on it, nor
 * when the caller protects it (the repository just prepared). Deletion renames
 * the mirror aside first, so a concurrent reader sees it either whole or gone.
 */

export interface MirrorEntry {
  path: string;
  sizeBytes: number;
  lastUsedMs: number;
}

/** Pure: the entries to evict, oldest first, until the total fits `maxBytes`. */
export function chooseEvictions(entries: readonly MirrorEntry[], maxBytes: number, protect: ReadonlySet<string>): MirrorEntry[] {
  let total = entries.reduce((sum, e) => sum + e.sizeBytes, 0);
  const victims: MirrorEntry[] = [];
  for (const entry of [...entries].sort((a, b) => a.lastUsedMs - b.lastUsedMs)) {
    if (total <= maxBytes) break;
    if (protect.has(entry.path)) continue;
    victims.push(entry);
    total -= entry.sizeBytes;
  }
  return victims;
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

export const lockPathOf = (mirror: string) => `${mirror}.lock`;

/** Evicts least recently used mirrors until the cache fits; returns the evicted paths. */
export async function evictLeastRecentlyUsed(dataDir: string, maxBytes: number, protect: readonly string[] = []): Promise<string[]> {
  const entries = await listMirrors(dataDir);
  const evicted: string[] = [];
  for (const victim of chooseEvictions(entries, maxBytes, new Set(protect))) {
    if (busyInProcess(lockPathOf(victim.path))) continue;
    try {
      await withFileLock(
        lockPathOf(victim.path),
        async () => {
          if (await hasWorktrees(victim.path)) return;
          const aside = `${victim.path}.evicting-${randomUUID()}`;
          await rename(victim.path, aside);
          evicted.push(victim.path);
          await rm(aside, { recursive: true, force: true });
        },
        { timeoutMs: 0 },
      );
    } catch (error) {
      if (!(error instanceof WorkspaceError && error.code === "lock_timeout")) throw error;
    }
  }
  return evicted;
}
