import { stat } from "node:fs/promises";
import { z } from "zod";
import { confinePath } from "../../security/paths.ts";
import { escapePath } from "tinyglobby";
import { listRepoFiles } from "./gitignore.ts";
import { ToolError, defineTool } from "./tool.ts";

/**
 * `list_files`: files of the working copy matching a glob, below an optional
 * directory, skipping `.git` and git-ignored files. The count is capped; the
 * note says how many more exist so the model narrows its pattern.
 */

export const LIST_FILES_DEFAULT_LIMIT = 300;
export const LIST_FILES_MAX_LIMIT = 2000;

const schema = z.object({
  pattern: z.string().min(1).default("**/*").describe('Glob pattern relative to `path`, e.g. "**/*.ts" or "src/*". Default: every file.'),
  path: z.string().min(1).default(".").describe("Directory to list, relative to the repository root. Default: the root."),
  limit: z.number().int().min(1).max(LIST_FILES_MAX_LIMIT).default(LIST_FILES_DEFAULT_LIMIT).describe("Maximum number of paths returned."),
});

export const listFilesTool = defineTool({
  name: "list_files",
  description: "List files in the repository matching a glob pattern (git-ignored files and .git are skipped). Paths are relative to the repository root.",
  schema,
  async execute(input, ctx) {
    const pattern = input.pattern.trim();
    if (pattern.startsWith("/") || pattern.includes("..")) {
      throw new ToolError(`the pattern "${pattern}" must be relative and must not contain ".."; use the path argument to pick a directory`);
    }
    const dir = await confinePath(ctx.root, input.path);
    const info = await stat(dir.abs).catch(() => null);
    if (!info?.isDirectory()) throw new ToolError(`${input.path} is not a directory`);
    ctx.stats.listings++;

    const scoped = dir.rel === "" ? pattern : `${escapePath(dir.rel)}/${pattern}`;
    // Defence in depth: tinyglobby would follow "../" or absolute patterns out of the root.
    const files = (await listRepoFiles(ctx.root, [scoped])).files.filter((f) => !f.startsWith("../") && !f.startsWith("/"));
    const summary = `listed ${files.length} file${files.length === 1 ? "" : "s"} (${pattern} in ${dir.rel || "."})`;
    if (files.length === 0) return { content: `No files match "${pattern}" in ${dir.rel || "."}.`, summary };
    const shown = files.slice(0, input.limit);
    const more = files.length - shown.length;
    const note = more > 0 ? `\n... ${more} more files not shown (${files.length} in total); narrow the pattern or the path.` : "";
    return { content: `${shown.join("\n")}${note}`, summary };
  },
});
