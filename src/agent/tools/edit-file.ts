import { readFile, stat, writeFile } from "node:fs/promises";
import { z } from "zod";
import { confinePath } from "../../security/paths.ts";
import { isBinary } from "./read-file.ts";
import { ToolError, defineTool } from "./tool.ts";

/**
 * `edit_file`: replaces one exact occurrence of `old_string` with
 * `new_string`. Zero or several matches are tool errors that say how many
 * and what to do, so the model never edits the wrong place.
 */

const schema = z.object({
  path: z.string().min(1).describe("File path relative to the repository root."),
  old_string: z.string().min(1).describe("Exact text to replace, including whitespace and indentation; it must occur exactly once in the file."),
  new_string: z.string().describe("Replacement text."),
});

export function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

export const editFileTool = defineTool({
  name: "edit_file",
  description:
    "Replace an exact string in a file. old_string must match exactly once: include enough surrounding lines to make it unique. Read the file first.",
  schema,
  async execute(input, ctx) {
    if (ctx.mode !== "execute") throw new ToolError("edit_file is not available while planning");
    if (input.old_string === input.new_string) throw new ToolError("old_string and new_string are identical; nothing would change");
    const file = await confinePath(ctx.root, input.path, { write: true, denyPaths: ctx.denyPaths });
    const info = await stat(file.abs).catch(() => null);
    if (!info?.isFile()) throw new ToolError(`${input.path} does not exist; use write_file to create a file`);
    const bytes = await readFile(file.abs);
    if (isBinary(bytes)) throw new ToolError(`${file.rel} is a binary file and cannot be edited`);
    const text = bytes.toString("utf8");

    const count = countOccurrences(text, input.old_string);
    if (count === 0) {
      throw new ToolError(
        `old_string was not found in ${file.rel}. Read the file again and copy the exact text, including whitespace and indentation.`,
      );
    }
    if (count > 1) {
      throw new ToolError(
        `old_string matches ${count} times in ${file.rel}; include more surrounding lines so that it matches exactly once.`,
      );
    }
    const at = text.indexOf(input.old_string);
    const updated = text.slice(0, at) + input.new_string + text.slice(at + input.old_string.length);
    await writeFile(file.abs, updated);
    ctx.stats.filesChanged.add(file.rel);
    const line = text.slice(0, at).split("\n").length;
    return { content: `Edited ${file.rel} at line ${line}.` };
  },
});
