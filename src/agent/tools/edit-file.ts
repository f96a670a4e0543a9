import { z } from "zod";
import { confinePath } from "../../security/paths.ts";
import { writeRepoFile } from "../../security/safe-read.ts";
import { isBinary, readForTool } from "./read-file.ts";
import { ToolError, defineTool } from "./tool.ts";
import { MAX_WRITE_CHARS, recordWrite } from "./write-file.ts";

/**
 * `edit_file`: replaces one exact occurrence of `old_string` with
 * `new_string`. Zero or several matches are tool errors that say how many
 * and what to do, so the model never edits the wrong place. Sizes are
 * bounded like the other tools: the file is read as read_file reads it (at
 * most MAX_FILE_BYTES, regular files only) and `new_string` is capped like
 * write_file's content (MAX_WRITE_CHARS).
 */

const schema = z.object({
  path: z.string().min(1).describe("File path relative to the repository root."),
  old_string: z.string().min(1).max(MAX_WRITE_CHARS).describe("Exact text to replace, including whitespace and indentation; it must occur exactly once in the file."),
  new_string: z.string().max(MAX_WRITE_CHARS).describe("Replacement text."),
});

/** Lines added and removed by replacing `before` with `after`, as a diff counts them (common first and last lines are not changes). */
export function lineDelta(before: string, after: string): { added: number; removed: number } {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { added: b.length - head - tail, removed: a.length - head - tail };
}

/** The delta of replacing `length` characters at `at`: on the whole lines around them, so a change inside a line counts as that line changed. */
function editDelta(before: string, after: string, at: number, length: number): { added: number; removed: number } {
  const lineStart = at === 0 ? 0 : before.lastIndexOf("\n", at - 1) + 1;
  const lineEnd = before.indexOf("\n", at + length);
  const end = lineEnd === -1 ? before.length : lineEnd;
  return lineDelta(before.slice(lineStart, end), after.slice(lineStart, end + after.length - before.length));
}

export function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

export const editFileTool = defineTool({
  name: "edit_file",
  description: "Replace an exact string in a file. old_string must match exactly once: include enough surrounding lines to make it unique. Read the file first.",
  schema,
  async execute(input, ctx) {
    if (ctx.mode !== "execute") throw new ToolError("edit_file is not available while planning");
    if (input.old_string === input.new_string) throw new ToolError("old_string and new_string are identical; nothing would change");
    const file = await confinePath(ctx.root, input.path, { write: true, denyPaths: ctx.denyPaths });
    const { bytes } = await readForTool(ctx.root, input.path, ctx.signal).catch((error: unknown) => {
      throw error instanceof ToolError && /does not exist/.test(error.message) ? new ToolError(`${input.path} does not exist; use write_file to create a file`) : error;
    });
    if (isBinary(bytes)) throw new ToolError(`${file.rel} is a binary file and cannot be edited`);
    const text = bytes.toString("utf8");

    const count = countOccurrences(text, input.old_string);
    if (count === 0) {
      throw new ToolError(`old_string was not found in ${file.rel}. Read the file again and copy the exact text, including whitespace and indentation.`);
    }
    if (count > 1) {
      throw new ToolError(`old_string matches ${count} times in ${file.rel}; include more surrounding lines so that it matches exactly once.`);
    }
    const at = text.indexOf(input.old_string);
    const updated = text.slice(0, at) + input.new_string + text.slice(at + input.old_string.length);
    await writeRepoFile(file.real, file.rel, updated);
    ctx.stats.filesChanged.add(file.rel);
    const line = text.slice(0, at).split("\n").length;
    const delta = editDelta(text, updated, at, input.old_string.length);
    const summary = `edited ${file.rel} (+${delta.added} −${delta.removed})`;
    return { content: `Edited ${file.rel} at line ${line}.${await recordWrite(ctx, file.rel)}`, summary };
  },
});
