import { lstat, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { confinePath } from "../../security/paths.ts";
import { writeRepoFile } from "../../security/safe-read.ts";
import { ToolError, defineTool, type ToolContext } from "./tool.ts";

/**
 * `write_file`: creates a file (and its missing directories) or overwrites
 * one with the given content. The path is confined like every write: inside
 * the working copy, never under `.git`, never on a denied path; and only a
 * regular file is ever written (safe-read.ts: never a FIFO, whose open would
 * block, nor a device).
 */

export const MAX_WRITE_CHARS = 1_000_000;

/** Records a written path as part of the change; a note for the model when it cannot be (ignored, in a nested repository). */
export async function recordWrite(ctx: ToolContext, rel: string): Promise<string> {
  if (!ctx.changes) return "";
  const kept = await ctx.changes.keep([rel]);
  return kept.includes(rel)
    ? ""
    : ` Note: ${rel} cannot be part of the change (it is ignored by .gitignore, or inside a nested repository or submodule), so it will not be committed.`;
}

const schema = z.object({
  path: z.string().min(1).describe("File path relative to the repository root."),
  content: z.string().max(MAX_WRITE_CHARS).describe("The complete new content of the file."),
});

export const writeFileTool = defineTool({
  name: "write_file",
  description: "Create a file or overwrite it with new content; missing directories are created. Prefer edit_file for changes to existing files.",
  schema,
  async execute(input, ctx) {
    if (ctx.mode !== "execute") throw new ToolError("write_file is not available while planning");
    const file = await confinePath(ctx.root, input.path, { write: true, denyPaths: ctx.denyPaths });
    const existing = await lstat(file.real).catch(() => null);
    if (existing?.isDirectory()) throw new ToolError(`${file.rel} is a directory`);
    await mkdir(dirname(file.abs), { recursive: true });
    // Directories created above may not have existed during the check: confine again before writing.
    const confined = await confinePath(ctx.root, input.path, { write: true, denyPaths: ctx.denyPaths });
    await writeRepoFile(confined.real, confined.rel, input.content);
    ctx.stats.filesChanged.add(file.rel);
    const lines = input.content === "" ? 0 : input.content.split("\n").length;
    const summary = existing ? `wrote ${file.rel} (${lines} lines)` : `created ${file.rel} (+${lines})`;
    return { content: `${existing ? "Overwrote" : "Created"} ${file.rel} (${lines} lines).${await recordWrite(ctx, file.rel)}`, summary };
  },
});
