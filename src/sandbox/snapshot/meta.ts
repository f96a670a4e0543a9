import { randomUUID } from "node:crypto";
import { lstat, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FORMAT } from "./key.ts";

/**
 * A snapshot's `snapshot.json` (written atomically: a temporary file renamed
 * over it), read back only when it is of this FORMAT and names safe relative
 * paths; and the check that a restored path lands inside the working copy.
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

const META = "snapshot.json";

const safeRelative = (p: unknown): p is string =>
  typeof p === "string" && p !== "" && !p.startsWith("/") && !p.split("/").some((part) => part === "" || part === "." || part === ".." || part === ".git");

export async function readMeta(dir: string): Promise<SnapshotMeta | null> {
  try {
    const meta = JSON.parse(await readFile(join(dir, META), "utf8")) as SnapshotMeta;
    if (meta.format !== FORMAT || !Array.isArray(meta.work) || !meta.work.every(safeRelative) || !Array.isArray(meta.other)) return null;
    return { ...meta, lastUsedMs: Number(meta.lastUsedMs) || 0, sizeBytes: Number(meta.sizeBytes) || 0 };
  } catch {
    return null;
  }
}

export async function writeMeta(dir: string, meta: SnapshotMeta): Promise<void> {
  const tmp = join(dir, `${META}.${randomUUID()}`);
  await writeFile(tmp, JSON.stringify(meta), { mode: 0o600 });
  await rename(tmp, join(dir, META));
}

/** True when `rel` can be created in `root`: every parent a real directory (no link), nothing there yet. */
export async function freeTarget(root: string, rel: string): Promise<boolean> {
  const parts = rel.split("/");
  for (let i = 1; i < parts.length; i++) {
    const info = await lstat(join(root, ...parts.slice(0, i))).catch(() => null);
    if (!info?.isDirectory()) return false;
  }
  return (await lstat(join(root, rel)).catch(() => null)) === null;
}
