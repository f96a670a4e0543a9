import { z } from "zod";
import { readRepoFile } from "../../security/safe-read.ts";
import { ToolError, defineTool } from "./tool.ts";

/**
 * `read_file`: a text file of the working copy with line numbers, optionally a
 * line range, read through safe-read.ts (regular files inside the tree only,
 * with a deadline). Files over MAX_FILE_BYTES are refused (search them instead),
 * binary files (a NUL byte in the first 8 KiB) are described, not shown, and
 * one answer holds at most MAX_LINES lines / MAX_CHARS characters, with a note
 * telling the model how to read on.
 */

export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_LINES = 1000;
export const MAX_CHARS = 60_000;
const MAX_LINE_CHARS = 2000;

const schema = z.object({
  path: z.string().min(1).describe("File path relative to the repository root."),
  start_line: z.number().int().min(1).optional().describe("First line to read (1-based). Default: 1."),
  end_line: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(`Last line to read (inclusive). Default: start_line + ${MAX_LINES - 1}.`),
});

export function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/** A text file of the working copy for the model (read_file, edit_file): regular files up to MAX_FILE_BYTES. */
export async function readForTool(root: string, path: string, signal?: AbortSignal): Promise<{ rel: string; bytes: Buffer }> {
  const read = await readRepoFile(root, path, { maxBytes: MAX_FILE_BYTES, whole: true, signal });
  if (read.ok) return read;
  if (read.refusal === "missing") throw new ToolError(`${path} does not exist; use list_files or search to find the right path`);
  if (read.refusal === "directory") throw new ToolError(`${path} is a directory; use list_files to see its files`);
  if (read.refusal === "too-large") throw new ToolError(`${read.message}; use search to find the part you need`);
  throw new ToolError(read.message);
}

export const readFileTool = defineTool({
  name: "read_file",
  description: `Read a text file with line numbers ("<n>\\t<line>"). Reads at most ${MAX_LINES} lines per call; use start_line/end_line for long files.`,
  schema,
  async execute(input, ctx) {
    const file = await readForTool(ctx.root, input.path, ctx.signal);
    const { bytes } = file;
    ctx.stats.filesRead.add(file.rel);
    const summary = `read ${file.rel}`;
    if (isBinary(bytes)) return { content: `${file.rel} is a binary file (${bytes.length} bytes); it is not shown.`, summary: `${summary} (binary)` };
    if (bytes.length === 0) return { content: `${file.rel} is empty.`, summary: `${summary} (empty)` };

    const lines = bytes.toString("utf8").split(/\r?\n/);
    if (lines.at(-1) === "") lines.pop();
    const start = input.start_line ?? 1;
    if (start > lines.length) throw new ToolError(`${file.rel} has ${lines.length} lines; start_line ${start} is past the end`);
    const requestedEnd = Math.min(input.end_line ?? start + MAX_LINES - 1, lines.length);
    if (requestedEnd < start) throw new ToolError(`end_line (${requestedEnd}) is before start_line (${start})`);
    const end = Math.min(requestedEnd, start + MAX_LINES - 1);

    const out: string[] = [];
    let chars = 0;
    let last = start - 1;
    for (let n = start; n <= end; n++) {
      let line = lines[n - 1] ?? "";
      if (line.length > MAX_LINE_CHARS) line = `${line.slice(0, MAX_LINE_CHARS)} [... line cut at ${MAX_LINE_CHARS} characters]`;
      if (chars + line.length > MAX_CHARS && out.length > 0) break;
      out.push(`${n}\t${line}`);
      chars += line.length + 8;
      last = n;
    }
    const note =
      last < lines.length
        ? `\n[showing lines ${start}-${last} of ${lines.length}; call read_file with start_line=${last + 1} to read on]`
        : start > 1
          ? `\n[showing lines ${start}-${last} of ${lines.length}]`
          : "";
    const range = start > 1 || last < lines.length ? ` (lines ${start}-${last} of ${lines.length})` : "";
    return { content: `${out.join("\n")}${note}`, summary: `${summary}${range}` };
  },
});
