import { randomUUID } from "node:crypto";
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { busyInProcess, withFileLock } from "../../workspace/lock.ts";
import { copyContents, copyEntry, type CopyBudget } from "./copy-tree.ts";
import { FORMAT } from "./key.ts";

/**
 * Environment snapshots on disk, under `<dataDir>/environments/` (0700: only
 * the app reads it, never the sandbox). One directory per key,
 * `<key>/{snapshot.json,home/,work/}`, made in `<key>.tmp-<uuid>` and renamed
 * into place once complete, with `snapshot.json` written last inside it: a
 * crash leaves a `.tmp-` directory that is never read (only `<key>` is) and is
 * removed by the next sweep. A key's lock (`<key>.lock`, workspace/lock.ts,
 * across processes) is held while a snapshot is written or restored, so two
 * tasks on one key never write the same directory, and eviction (least
 * recently used first, down to the cap, like the mirror cache) skips a locked
 * key. Restoring copies into the task's own HOME and working copy (copy-tree.ts).
 */

export interface SnapshotMeta {
  format: number;
  repo: string;
  setup: string;
  createdMs: number;
  lastUsedMs: number;
  sizeBytes: number;
  /** Dependency folders of the working copy in the snapshot (relative paths). */
  work: string[];
  /** What else setup created (not kept): non-empty means setup runs again after a restore. */
  other: string[];
}

export interface SaveSources {
  home: string;
  workdir: string;
  dependencies: readonly string[];
  other: readonly string[];
  repo: string;
  setup: string;
}

const KEY = /^[0-9a-f]{64}$/;
const LEFTOVER = /^([0-9a-f]{64})\.(tmp|evicting)-[0-9a-f-]{36}$/;
const META = "snapshot.json";
const LOCK_WAIT_MS = 5 * 60_000;

const safeRelative = (p: unknown): p is string =>
  typeof p === "string" && p !== "" && !p.startsWith("/") && !p.split("/").some((part) => part === "" || part === "." || part === ".." || part === ".git");

async function readMeta(dir: string): Promise<SnapshotMeta | null> {
  try {
    const meta = JSON.parse(await readFile(join(dir, META), "utf8")) as SnapshotMeta;
    if (meta.format !== FORMAT || !Array.isArray(meta.work) || !meta.work.every(safeRelative) || !Array.isArray(meta.other)) return null;
    return { ...meta, lastUsedMs: Number(meta.lastUsedMs) || 0, sizeBytes: Number(meta.sizeBytes) || 0 };
  } catch {
    return null;
  }
}

async function writeMeta(dir: string, meta: SnapshotMeta): Promise<void> {
  const tmp = join(dir, `${META}.${randomUUID()}`);
  await writeFile(tmp, JSON.stringify(meta), { mode: 0o600 });
  await rename(tmp, join(dir, META));
}

/** True when `rel` can be created in `root`: every parent a real directory (no link), nothing there yet. */
async function freeTarget(root: string, rel: string): Promise<boolean> {
  const parts = rel.split("/");
  for (let i = 1; i < parts.length; i++) {
    const info = await lstat(join(root, ...parts.slice(0, i))).catch(() => null);
    if (!info?.isDirectory()) return false;
  }
  return (await lstat(join(root, rel)).catch(() => null)) === null;
}

export class SnapshotStore {
  readonly root: string;
  readonly maxBytes: number;
  readonly #warn: (message: string) => void;

  constructor(root: string, maxBytes: number, onWarning: (message: string) => void = () => undefined) {
    this.root = root;
    this.maxBytes = maxBytes;
    this.#warn = onWarning;
  }

  #lock = (key: string) => join(this.root, `${key}.lock`);
  #locked = <T>(key: string, fn: () => Promise<T>, timeoutMs: number) => withFileLock(this.#lock(key), fn, { timeoutMs });

  find(key: string): Promise<SnapshotMeta | null> {
    return KEY.test(key) ? readMeta(join(this.root, key)) : Promise.resolve(null);
  }

  /**
   * Copies the snapshot into an empty HOME and the working copy; null (and
   * nothing left behind) when there is none, a target is taken or not a plain
   * directory path, or the copy fails.
   */
  async restore(key: string, home: string, workdir: string, signal?: AbortSignal): Promise<SnapshotMeta | null> {
    const dir = join(this.root, key);
    const made: string[] = [];
    try {
      return await this.#locked(key, async () => {
        const meta = await this.find(key);
        if (!meta || (await readdir(home)).length > 0) return null;
        for (const rel of meta.work) if (!(await freeTarget(workdir, rel))) return null;
        await writeMeta(dir, { ...meta, lastUsedMs: Date.now() });
        const budget: CopyBudget = { bytes: 0, maxBytes: Number.MAX_SAFE_INTEGER, signal };
        made.push(...(await readdir(join(dir, "home"))).map((name) => join(home, name)));
        await copyContents(join(dir, "home"), home, budget);
        for (const rel of meta.work) {
          made.push(join(workdir, rel));
          await copyEntry(join(dir, "work", rel), join(workdir, rel), budget);
        }
        return meta;
      }, LOCK_WAIT_MS);
    } catch (error) {
      for (const path of made) await rm(path, { recursive: true, force: true }).catch(() => undefined);
      this.#warn(`Could not restore the environment snapshot ${key}; setup runs instead: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  /** Stores what setup made under `key` unless it is there already, then evicts down to the cap. Never throws. */
  async save(key: string, from: SaveSources, signal?: AbortSignal): Promise<boolean> {
    if (!KEY.test(key)) return false;
    const final = join(this.root, key);
    const tmp = `${final}.tmp-${randomUUID()}`;
    let saved = false;
    try {
      await this.#ensureRoot();
      saved = await this.#locked(key, async () => {
        if (await this.find(key)) return false;
        const budget: CopyBudget = { bytes: 0, maxBytes: this.maxBytes, signal };
        await mkdir(tmp, { mode: 0o700 });
        await copyEntry(from.home, join(tmp, "home"), budget);
        for (const rel of from.dependencies) {
          await mkdir(dirname(join(tmp, "work", rel)), { recursive: true, mode: 0o755 });
          await copyEntry(join(from.workdir, rel), join(tmp, "work", rel), budget);
        }
        const now = Date.now();
        await writeMeta(tmp, { format: FORMAT, repo: from.repo, setup: from.setup, createdMs: now, lastUsedMs: now, sizeBytes: budget.bytes, work: [...from.dependencies], other: [...from.other] });
        await rename(tmp, final);
        return true;
      }, LOCK_WAIT_MS);
    } catch (error) {
      this.#warn(`No environment snapshot was kept for ${from.repo}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    }
    await this.evict([key]);
    return saved;
  }

  async #ensureRoot(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    if (((await stat(this.root)).mode & 0o777) !== 0o700) await chmod(this.root, 0o700);
  }

  /** Removes leftovers of crashed saves and evictions, then the least recently used snapshots beyond the cap. Never throws. */
  async evict(protect: readonly string[] = []): Promise<string[]> {
    const evicted: string[] = [];
    try {
      const names = await readdir(this.root).catch(() => [] as string[]);
      for (const name of names) await this.#sweep(name);
      const entries: { key: string; meta: SnapshotMeta }[] = [];
      for (const key of names.filter((n) => KEY.test(n))) {
        const meta = await this.find(key);
        if (meta) entries.push({ key, meta });
      }
      let total = entries.reduce((sum, e) => sum + e.meta.sizeBytes, 0);
      for (const { key, meta } of entries.filter((e) => !protect.includes(e.key)).sort((a, b) => a.meta.lastUsedMs - b.meta.lastUsedMs)) {
        if (total <= this.maxBytes) break;
        if (await this.#tryDelete(key)) {
          evicted.push(key);
          total -= meta.sizeBytes;
        }
      }
    } catch (error) {
      this.#warn(`Environment snapshot eviction failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return evicted;
  }

  async #sweep(name: string): Promise<void> {
    const match = LEFTOVER.exec(name);
    if (!match?.[1]) return;
    const path = join(this.root, name);
    // A `.tmp-` directory is live while its key's lock is held (a save is running).
    if (match[2] === "evicting") await rm(path, { recursive: true, force: true });
    else if (!busyInProcess(this.#lock(match[1]))) await this.#locked(match[1], () => rm(path, { recursive: true, force: true }), 0).catch(() => undefined);
  }

  async #tryDelete(key: string): Promise<boolean> {
    if (busyInProcess(this.#lock(key))) return false;
    const aside = join(this.root, `${key}.evicting-${randomUUID()}`);
    const moved = await this.#locked(key, () => rename(join(this.root, key), aside).then(() => true), 0).catch(() => false);
    if (moved) await rm(aside, { recursive: true, force: true });
    return moved;
  }
}
