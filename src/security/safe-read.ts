import type { Stats } from "node:fs";
import { constants } from "node:fs";
import { lstat, open, readlink, type FileHandle } from "node:fs/promises";
import { confinePath, inside, PathError } from "./paths.ts";

/**
 * How the app's own process reads (and writes) files of a working copy,
 * which the repository and the code run in its sandbox control. Every read
 * goes through readRepoFile, so a hostile tree cannot hang or exhaust the
 * process:
 * - the path is confined first (paths.ts: no `..`, nothing outside the tree
 *   through a symbolic link, nothing under `.git` unless the app asks for a
 *   file of git's own); a link inside the tree is followed by default, or
 *   refused (`links: "refuse"`, as git does for `.gitignore`);
 * - only regular files are opened: the link-resolved path is lstat'ed, so
 *   FIFOs, sockets and devices are refused without being opened (opening a
 *   FIFO blocks a libuv thread forever; /dev/zero never ends);
 * - it is opened with O_NOFOLLOW | O_NONBLOCK | O_NOCTTY and the descriptor is
 *   fstat'ed again: a file swapped between lstat and open (a link, a FIFO,
 *   another inode) is refused, and where /proc is mounted the opened file's
 *   real path must still be inside the tree;
 * - at most `maxBytes` are read, and the answer says when it was truncated
 *   (or, with `whole`, refuses a larger file without reading it);
 * - the whole read has a deadline (READ_DEADLINE_MS) and honours an abort
 *   signal: whatever the kernel does, the caller gets an answer in time.
 * Writes (writeRepoFile) open the same way: never a FIFO, device or swapped
 * link. Refusals are values with a message naming the path and what it is,
 * not exceptions, so each caller decides whether a refusal is an error.
 */

export const READ_DEADLINE_MS = 10_000;

export interface ReadOptions {
  /** Read at most this many bytes. */
  maxBytes: number;
  /** Refuse a file larger than maxBytes instead of returning its head. */
  whole?: boolean;
  /** A symbolic link at the path: followed when it stays inside the tree (default), or refused. */
  links?: "follow-inside" | "refuse";
  /** Allow a path under `.git` (files of git's own that the app names; never a path the model chose). */
  allowGit?: boolean;
  deadlineMs?: number;
  signal?: AbortSignal | undefined;
}

export type ReadRefusal = "outside" | "missing" | "directory" | "special" | "link" | "too-large" | "changed" | "timeout" | "unreadable";

export type RepoRead = { ok: true; rel: string; bytes: Buffer; size: number; truncated: boolean } | { ok: false; rel: string; refusal: ReadRefusal; message: string };

export type Refused = Extract<RepoRead, { ok: false }>;

export type RepoEntry = { ok: true; rel: string; abs: string; real: string; rootReal: string; kind: "file" | "directory"; size: number; info: Stats } | Refused;

/** What a non-regular file is, for messages: "a FIFO", "a character device", ... */
export function kindOf(info: Stats): string {
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSymbolicLink()) return "a symbolic link";
  if (info.isDirectory()) return "a directory";
  return info.isFile() ? "a regular file" : "a special file";
}

const refuse = (rel: string, refusal: ReadRefusal, message: string): Refused => ({ ok: false, rel, refusal, message });

const OPEN_READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
const OPEN_WRITE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

/**
 * Confines `path` and says what is there, without opening it: a regular file
 * or a directory (through in-tree links unless `links: "refuse"`), or a
 * refusal naming what it is instead.
 */
export async function inspectRepoPath(root: string, path: string, options: Pick<ReadOptions, "links" | "allowGit"> = {}): Promise<RepoEntry> {
  let confined;
  try {
    confined = await confinePath(root, path, { allowGit: options.allowGit === true });
  } catch (error) {
    if (error instanceof PathError) return refuse(path, "outside", error.message);
    throw error;
  }
  const { rel, abs, real, rootReal } = confined;
  const shown = rel || ".";
  if (options.links === "refuse") {
    const own = await lstat(abs).catch(() => null);
    if (own?.isSymbolicLink()) return refuse(rel, "link", `${shown} is a symbolic link, which is not followed here`);
  }
  const info = await lstat(real).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    return info.code === "ENOENT" || info.code === "ENOTDIR"
      ? refuse(rel, "missing", `${shown} does not exist`)
      : refuse(rel, "unreadable", `${shown} cannot be read (${info.code ?? info.message})`);
  }
  if (info.isDirectory()) return { ok: true, rel, abs, real, rootReal, kind: "directory", size: info.size, info };
  if (!info.isFile()) return refuse(rel, "special", `${shown} is not a regular file (${kindOf(info)})`);
  return { ok: true, rel, abs, real, rootReal, kind: "file", size: info.size, info };
}

/** Where the descriptor really points (Linux /proc), or null when that cannot be told. */
const openedPath = (handle: FileHandle): Promise<string | null> => readlink(`/proc/self/fd/${handle.fd}`).catch(() => null);

async function readOpened(root: string, path: string, options: ReadOptions, expired: () => boolean): Promise<RepoRead> {
  const entry = await inspectRepoPath(root, path, options);
  if (!entry.ok) return entry;
  const { rel } = entry;
  if (entry.kind === "directory") return refuse(rel, "directory", `${rel || "."} is a directory`);
  if (options.whole && entry.size > options.maxBytes) {
    return refuse(rel, "too-large", `${rel} is ${entry.size} bytes, over the ${options.maxBytes}-byte limit`);
  }
  const handle = await open(entry.real, OPEN_READ).catch((error: NodeJS.ErrnoException) => error);
  if (handle instanceof Error) {
    return handle.code === "ELOOP"
      ? refuse(rel, "changed", `${rel} became a symbolic link while it was being opened; it was not read`)
      : refuse(rel, "unreadable", `${rel} cannot be read (${handle.code ?? handle.message})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return refuse(rel, "special", `${rel} is not a regular file (${kindOf(info)})`);
    if (entry.info.ino !== info.ino || entry.info.dev !== info.dev) return refuse(rel, "changed", `${rel} changed while it was being opened; it was not read`);
    const where = await openedPath(handle);
    if (where !== null && where.startsWith("/") && inside(entry.rootReal, where) === null) {
      return refuse(rel, "changed", `${rel} moved out of the working copy while it was being opened; it was not read`);
    }
    if (options.whole && info.size > options.maxBytes) {
      return refuse(rel, "too-large", `${rel} is ${info.size} bytes, over the ${options.maxBytes}-byte limit`);
    }
    const want = Math.min(info.size, options.maxBytes);
    const bytes = Buffer.alloc(want);
    let got = 0;
    while (got < want && !expired()) {
      const { bytesRead } = await handle.read(bytes, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { ok: true, rel, bytes: bytes.subarray(0, got), size: info.size, truncated: info.size > got };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Reads a file of the working copy under all the rules above; never hangs past the deadline. */
export function readRepoFile(root: string, path: string, options: ReadOptions): Promise<RepoRead> {
  const ms = options.deadlineMs ?? READ_DEADLINE_MS;
  const { signal } = options;
  return new Promise<RepoRead>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(signal?.reason));
    const timer = setTimeout(() => finish(() => resolve(refuse(path, "timeout", `reading ${path} took longer than ${ms / 1000} s; it was abandoned`))), ms);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    // The read goes on after a deadline only to close its descriptor.
    readOpened(root, path, options, () => settled).then(
      (result) => finish(() => resolve(result)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** Text of a file, or null for any refusal (for optional files: ignore rules, manifests). */
export async function readRepoText(root: string, path: string, options: ReadOptions): Promise<string | null> {
  const result = await readRepoFile(root, path, options);
  return result.ok ? result.bytes.toString("utf8") : null;
}

/**
 * Writes `data` to a confined path's link-resolved location, creating it if
 * missing; refuses (PathError) anything that is not a regular file there:
 * opening a FIFO for writing would block, a device would swallow the data.
 */
export async function writeRepoFile(real: string, shown: string, data: string | Uint8Array): Promise<void> {
  const info = await lstat(real).catch(() => null);
  if (info?.isDirectory()) throw new PathError(`${shown} is a directory`);
  if (info && !info.isFile()) throw new PathError(`${shown} is not a regular file (${kindOf(info)}); it was not written`);
  const handle = await open(real, OPEN_WRITE, 0o666).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ELOOP") throw new PathError(`${shown} became a symbolic link while it was being opened; it was not written`);
    if (error.code === "ENXIO") throw new PathError(`${shown} is not a regular file (a FIFO); it was not written`);
    throw error;
  });
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw new PathError(`${shown} is not a regular file (${kindOf(opened)}); it was not written`);
    await handle.writeFile(data);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
