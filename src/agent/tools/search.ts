import { spawn } from "node:child_process";
import { z } from "zod";
import { confinePath } from "../../security/paths.ts";
import { ToolError, defineTool } from "./tool.ts";

/**
 * `search`: a regular-expression search across the working copy with ripgrep
 * (`rg` on PATH; Debian's is /usr/bin/rg). ripgrep respects .gitignore, skips
 * `.git`, never follows symbolic links and ignores user config files; matches
 * are capped and long lines cut. Without rg the tool says so clearly.
 */

export const SEARCH_DEFAULT_MAX = 100;
const SEARCH_TIMEOUT_MS = 30_000;

const schema = z.object({
  pattern: z.string().min(1).describe("Regular expression (Rust regex syntax, like PCRE without look-around)."),
  path: z.string().min(1).default(".").describe("File or directory to search, relative to the repository root. Default: everything."),
  glob: z.string().min(1).optional().describe('Only search files matching this glob, e.g. "*.ts" or "src/**/*.py".'),
  ignore_case: z.boolean().default(false).describe("Match case-insensitively."),
  max_results: z.number().int().min(1).max(500).default(SEARCH_DEFAULT_MAX).describe("Maximum number of matching lines returned."),
});

interface RgResult {
  lines: string[];
  truncated: boolean;
  code: number | null;
  stderr: string;
}

function runRipgrep(args: string[], cwd: string, max: number, signal?: AbortSignal): Promise<RgResult> {
  return new Promise((resolvePromise, reject) => {
    const timeout = AbortSignal.timeout(SEARCH_TIMEOUT_MS);
    const child = spawn("rg", args, { cwd, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    let truncated = false;
    let pending = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (truncated) return;
      const parts = (pending + chunk).split("\n");
      pending = parts.pop() ?? "";
      for (const line of parts) {
        if (lines.length >= max) {
          truncated = true;
          child.kill();
          return;
        }
        lines.push(line);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") reject(new ToolError("search is unavailable: ripgrep (rg) is not installed on this server; use list_files and read_file"));
      else if (timeout.aborted) reject(new ToolError(`the search took longer than ${SEARCH_TIMEOUT_MS / 1000}s; narrow the path or glob`));
      else reject(error);
    });
    child.on("close", (code) => {
      if (!truncated && pending !== "" && lines.length < max) lines.push(pending);
      resolvePromise({ lines, truncated, code, stderr });
    });
  });
}

export const searchTool = defineTool({
  name: "search",
  description: "Search file contents with a regular expression (ripgrep). Returns matching lines as <path>:<line>:<text>, git-ignored files skipped.",
  schema,
  async execute(input, ctx) {
    const target = await confinePath(ctx.root, input.path);
    ctx.stats.searches++;
    const args = ["--no-config", "--line-number", "--no-heading", "--with-filename", "--color", "never", "--no-require-git", "--hidden"];
    args.push("--glob", "!.git", "--max-columns", "300", "--max-columns-preview", "--max-filesize", "4M");
    if (input.ignore_case) args.push("--ignore-case");
    if (input.glob) args.push("--glob", input.glob);
    args.push("--regexp", input.pattern);
    if (target.rel !== "") args.push("--", target.rel);

    const result = await runRipgrep(args, ctx.root, input.max_results, ctx.signal);
    if (result.code === 2 && result.lines.length === 0) {
      throw new ToolError(`search failed: ${result.stderr.trim().slice(0, 1500) || "ripgrep exited with an error"}`);
    }
    if (result.lines.length === 0) return { content: `No matches for /${input.pattern}/ in ${target.rel || "."}.` };
    const note = result.truncated ? `\n[only the first ${input.max_results} matches are shown; narrow the pattern, path or glob]` : "";
    return { content: `${result.lines.join("\n")}${note}` };
  },
});
