import { constants, type Stats } from "node:fs";
import { chmod, copyFile, lchown, lstat, mkdir, readdir, readlink, symlink, utimes } from "node:fs/promises";
import { join } from "node:path";

/**
 * Copies a tree written by repository code (untrusted) without trusting it:
 * every entry is lstat'ed and never followed. A symbolic link is copied as a
 * link (its target text, wherever it points: the host file it names is never
 * read); FIFOs, sockets and devices are skipped; a regular file is copied
 * (reflinked where the file system can, `COPYFILE_FICLONE`, else a real copy:
 * either way a new inode, never a hard link, so what one task later writes
 * into its copy cannot reach the snapshot or the next task), with its
 * modification time (incremental builds, cargo and Gradle, compare them) and
 * its permission bits cut to rwxr-xr-x plus owner read/write: never setuid,
 * setgid or sticky, never group- or world-writable. Directories are created
 * 0755. The destination must not exist (`COPYFILE_EXCL`, a plain mkdir): a
 * copy never writes through something already there. The copy stops once
 * `budget.maxBytes` would be passed. Callers copy only while no repository
 * process runs (with bubblewrap none outlives its command).
 */

export interface CopyBudget {
  bytes: number;
  maxBytes: number;
  signal?: AbortSignal | undefined;
  /** Owner of what is created (a ready copy handed to the sandbox user); default: this process. */
  owner?: { uid: number; gid: number } | null | undefined;
}

export class CopyTooLarge extends Error {
  constructor(maxBytes: number) {
    super(`more than ${Math.round(maxBytes / 1024 ** 2)} MB`);
    this.name = "CopyTooLarge";
  }
}

const PARALLEL = 32;

/** A small semaphore: at most PARALLEL file copies at once, whatever the tree's shape. */
function limiter(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export const fileMode = (mode: number) => (mode & 0o755) | 0o600;

async function copyFileEntry(src: string, dst: string, info: Stats, budget: CopyBudget): Promise<void> {
  budget.bytes += info.size;
  if (budget.bytes > budget.maxBytes) throw new CopyTooLarge(budget.maxBytes);
  await copyFile(src, dst, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE); // with the source's mode
  if ((info.mode & 0o7777) !== fileMode(info.mode)) await chmod(dst, fileMode(info.mode));
  if (budget.owner) await lchown(dst, budget.owner.uid, budget.owner.gid);
  await utimes(dst, info.atime, info.mtime);
}

/** Copies one entry (a directory recursively); returns false when it was skipped (not a file, directory or link). */
export async function copyEntry(src: string, dst: string, budget: CopyBudget): Promise<boolean> {
  const limit = limiter(PARALLEL);
  const copy = async (from: string, to: string, info: Stats): Promise<boolean> => {
    budget.signal?.throwIfAborted();
    const own = () => (budget.owner ? lchown(to, budget.owner.uid, budget.owner.gid) : undefined);
    if (info.isSymbolicLink()) {
      await symlink(await readlink(from), to);
      await own();
      return true;
    }
    if (info.isFile()) {
      await limit(() => copyFileEntry(from, to, info, budget));
      return true;
    }
    if (!info.isDirectory()) return false;
    await mkdir(to, { mode: 0o755 });
    await own();
    const entries = await readdir(from);
    // Every child settles before the error (if any) is thrown, so a caller's cleanup never races a copy still running.
    const results = await Promise.allSettled(entries.map(async (name) => copy(join(from, name), join(to, name), await lstat(join(from, name)))));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    return true;
  };
  return copy(src, dst, await lstat(src));
}

/** Copies every entry of the directory `src` into the existing directory `dst`. */
export async function copyContents(src: string, dst: string, budget: CopyBudget): Promise<void> {
  for (const name of await readdir(src)) await copyEntry(join(src, name), join(dst, name), budget);
}
