/**
 * The inbox file as the channel reads it: only complete lines (ended by a
 * newline) from a byte offset, so a writer that appends a prompt in pieces
 * is read once it finished the line; a longer line than MAX_LINE_BYTES is
 * reported as such, never held whole in memory. A file shorter than the
 * offset was truncated or replaced: reading starts again at its beginning.
 * `watchInbox` calls back on every change of the file (fs.watch on its
 * folder, which also sees a file replaced by a rename) and on a steady poll,
 * for file systems whose events do not arrive (network mounts, some
 * containers).
 */
import { type FSWatcher, watch } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";

export const MAX_LINE_BYTES = 256 * 1024;
const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

export interface InboxLine {
  /** The line's text without its end of line (null when it was longer than MAX_LINE_BYTES). */
  text: string | null;
  /** 1-based line number in the file. */
  number: number;
  /** Byte offset just after the line's newline: where reading goes on. */
  end: number;
}

export interface InboxPosition {
  offset: number;
  /** Complete lines before `offset`. */
  lines: number;
}

/** The complete lines after `from`, and whether the file was found shorter than `from` (read from its start instead). */
export async function readLines(path: string, from: InboxPosition): Promise<{ lines: InboxLine[]; restarted: boolean }> {
  const size = (await stat(path)).size;
  const restarted = size < from.offset;
  let { offset, lines: number } = restarted ? { offset: 0, lines: 0 } : from;
  const found: InboxLine[] = [];
  if (size === offset) return { lines: found, restarted };
  let parts: Buffer[] = [];
  let length = 0;
  /** Holds a piece of the current line, up to just over the limit (a longer line is only counted). */
  const keep = (piece: Buffer) => {
    if (length <= MAX_LINE_BYTES) parts.push(Buffer.from(piece.subarray(0, MAX_LINE_BYTES + 1 - length)));
    length += piece.length;
  };
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(CHUNK);
    for (let position = offset; ; ) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) break;
      const read = buffer.subarray(0, bytesRead);
      let start = 0;
      for (let i = read.indexOf(NEWLINE); i !== -1; i = read.indexOf(NEWLINE, i + 1)) {
        keep(read.subarray(start, i));
        number += 1;
        offset = position + i + 1;
        const text = length > MAX_LINE_BYTES ? null : Buffer.concat(parts).toString("utf8").replace(/\r$/, "");
        found.push({ text: number === 1 && text ? text.replace(/^\uFEFF/, "") : text, number, end: offset });
        parts = [];
        length = 0;
        start = i + 1;
      }
      keep(read.subarray(start));
      position += bytesRead;
    }
    return { lines: found, restarted };
  } finally {
    await file.close();
  }
}

/** Calls `onChange` when the file may have changed (fs.watch on its folder) and every `pollMs` anyway; returns the stop. */
export function watchInbox(path: string, onChange: () => void, pollMs: number): () => void {
  const name = basename(path);
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(path), { persistent: true }, (_, file) => {
      if (file === null || file === name) onChange();
    });
    // A watcher that fails (the folder went away, too many watches) leaves the poll.
    watcher.on("error", () => {
      watcher?.close();
      watcher = null;
    });
  } catch {
    watcher = null;
  }
  const timer = setInterval(onChange, pollMs);
  return () => {
    watcher?.close();
    clearInterval(timer);
  };
}
