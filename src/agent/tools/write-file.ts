import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { confinePath } from "../../security/paths.ts";
import { ToolError, defineTool } from "./tool.ts";

/**
 * `write_file`: creates a file (and its missing directories) or overwrites
 * one with the given content. The path is confined like every write: inside
 * the working copy, never under `.git`, never on a denied path.
 */

export const MAX_WRITE_CHARS = 1_000_000;

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
    const existing = await stat(file.abs).catch(() => null);
    if (existing?.isDirectory()) throw new ToolError(`${file.rel} is a directory`);
    await mkdir(dirname(file.abs), { recursive: true });
    // Directories created above may not have existed during the check: confine again before writing.
    await confinePath(ctx.root, input.path, { write: true, denyPaths: ctx.denyPaths });
    await writeFile(file.abs, input.content);
    ctx.stats.filesChanged.add(file.rel);
    const lines = input.content === "" ? 0 : input.content.split("\n").length;
    return { content: `${existing ? "Overwrote" : "Created"} ${file.rel} (${lines} lines).` };
  },
});
