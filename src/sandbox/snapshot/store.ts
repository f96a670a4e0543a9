import { randomUUID } from "node:crypto";
import { chmod, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { busyInProcess, withFileLock } from "../../workspace/lock.ts";
import { copyContents, copyEntry, type CopyBudget } from "./copy-tree.ts";
import { FORMAT } from "./key.ts";
import { freeTarget, readMeta, writeMeta, type SnapshotMeta } from "./meta.ts";
import { copySnapshot, moveInto, readyCopy, refill } from "./ready.ts";

export type { SnapshotMeta } from "./meta.ts";

/**
 * Environment snapshots on disk, under `<dataDir>/environments/` (0700: only
 * the app reads it, never the sandbox). One directory per key,
 * `<key>/{snapshot.json,home/,work/,ready/}`, made in `<key>.tmp-<uuid>` and
 * renamed into place once complete, with `snapshot.json` written last inside
 * it: a crash leaves a `.tmp-` directory that is never read (only `<key>` is)
 * and is removed by the next sweep. A key's lock (`<key>.lock`,
 * workspace/lock.ts, across processes) is held while a snapshot or its ready
 * copy (ready.ts) is written, and while it is restored, so two tasks on one
 * key never write the same directory, and eviction (least recently used
 * first, down to the cap, like the mirror cache) skips a locked key. A
 * snapshot counts twice its size: itself and its ready copy.
 */

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
const LOCK_WAIT_MS = 5 * 60_000;
const COPIES = 2;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class SnapshotStore {
  readonly root: string;
  readonly maxBytes: number;
  readonly #warn: (message: string) => void;
  readonly #background = new Set<Promise<void>>();

  readonly #readyOwner: CopyBudget["owner"];

  /** `readyOwner`: who owns ready copies (the sandbox user when the app runs as root), see ready.ts. */
  constructor(root: string, maxBytes: number, onWarning: (message: string) => void = () => undefined, readyOwner: CopyBudget["owner"] = null) {
    this.root = root;
    this.maxBytes = maxBytes;
    this.#warn = onWarning;
    this.#readyOwner = readyOwner;
  }

  #lock = (key: string) => join(this.root, `${key}.lock`);
  #locked = <T>(key: string, fn: () => Promise<T>, timeoutMs: number) => withFileLock(this.#lock(key), fn, { timeoutMs });

  find(key: string): Promise<SnapshotMeta | null> {
    return KEY.test(key) ? readMeta(join(this.root, key)) : Promise.resolve(null);
  }

  /** Settles when the ready copies being made in the background are done. */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  /** Makes the key's next ready copy in the background, under its lock. */
  #refill(key: string, work: readonly string[]): void {
    const job = this.#locked(key, () => refill(join(this.root, key), work, this.#readyOwner), LOCK_WAIT_MS)
      .catch((error: unknown) => this.#warn(`Could not prepare a copy of the environment snapshot ${key}: ${message(error)}`))
      .finally(() => this.#background.delete(job));
    this.#background.add(job);
  }

  /**
   * Moves the ready copy (or copies the snapshot) into an empty HOME and the
   * working copy; null, and nothing left behind, when there is none, a target
   * is taken or not a plain directory path, or the copy fails.
   */
  async restore(key: string, home: string, workdir: string, signal?: AbortSignal): Promise<SnapshotMeta | null> {
    const dir = join(this.root, key);
    const made: string[] = [];
    const clean = async () => {
      for (const path of made.splice(0)) await rm(path, { recursive: true, force: true }).catch(() => undefined);
    };
    try {
      const meta = await this.#locked(
        key,
        async () => {
          const meta = await this.find(key);
          if (!meta || (await readdir(home)).length > 0) return null;
          for (const rel of meta.work) if (!(await freeTarget(workdir, rel))) return null;
          await writeMeta(dir, { ...meta, lastUsedMs: Date.now() });
          const ready = await readyCopy(dir);
          if (ready) {
            try {
              await moveInto(ready, home, workdir, meta.work, made);
              return meta;
            } catch (error) {
              await clean(); // e.g. another file system (EXDEV): copy instead
              await rm(ready, { recursive: true, force: true });
              this.#warn(`The ready copy of the environment snapshot ${key} could not be moved (${message(error)}); copying it`);
            }
          }
          const budget: CopyBudget = { bytes: 0, maxBytes: Number.MAX_SAFE_INTEGER, signal };
          made.push(...(await readdir(join(dir, "home"))).map((name) => join(home, name)));
          await copyContents(join(dir, "home"), home, budget);
          for (const rel of meta.work) {
            made.push(join(workdir, rel));
            await copyEntry(join(dir, "work", rel), join(workdir, rel), budget);
          }
          return meta;
        },
        LOCK_WAIT_MS,
      );
      if (meta) this.#refill(key, meta.work);
      return meta;
    } catch (error) {
      await clean();
      this.#warn(`Could not restore the environment snapshot ${key}; setup runs instead: ${message(error)}`);
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
      saved = await this.#locked(
        key,
        async () => {
          if (await this.find(key)) return false;
          const budget: CopyBudget = { bytes: 0, maxBytes: Math.floor(this.maxBytes / COPIES), signal };
          await copySnapshot(from, tmp, from.dependencies, budget);
          const now = Date.now();
          await writeMeta(tmp, {
            format: FORMAT,
            repo: from.repo,
            setup: from.setup,
            createdMs: now,
            lastUsedMs: now,
            sizeBytes: budget.bytes,
            work: [...from.dependencies],
            other: [...from.other],
          });
          await rename(tmp, final);
          return true;
        },
        LOCK_WAIT_MS,
      );
    } catch (error) {
      this.#warn(`No environment snapshot was kept for ${from.repo}: ${message(error)}`);
    } finally {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    }
    await this.evict([key]);
    if (saved) this.#refill(key, from.dependencies);
    return saved;
  }

  async #ensureRoot(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    if (((await stat(this.root)).mode & 0o777) !== 0o700) await chmod(this.root, 0o700);
  }

  /**
   * Removes leftovers (crashed saves and evictions, snapshots of an older
   * format), then the least recently used snapshots beyond the cap. Never throws.
   */
  async evict(protect: readonly string[] = []): Promise<string[]> {
    const evicted: string[] = [];
    try {
      const names = await readdir(this.root).catch(() => [] as string[]);
      for (const name of names) await this.#sweep(name);
      const entries: { key: string; meta: SnapshotMeta }[] = [];
      for (const key of names.filter((n) => KEY.test(n))) {
        const meta = await this.find(key);
        if (meta) entries.push({ key, meta });
        else if (!protect.includes(key)) await this.#tryDelete(key); // no readable snapshot.json: an older format
      }
      let total = entries.reduce((sum, e) => sum + e.meta.sizeBytes * COPIES, 0);
      for (const { key, meta } of entries.filter((e) => !protect.includes(e.key)).sort((a, b) => a.meta.lastUsedMs - b.meta.lastUsedMs)) {
        if (total <= this.maxBytes) break;
        if (await this.#tryDelete(key)) {
          evicted.push(key);
          total -= meta.sizeBytes * COPIES;
        }
      }
    } catch (error) {
      this.#warn(`Environment snapshot eviction failed: ${message(error)}`);
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
