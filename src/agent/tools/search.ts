import { spawn } from "node:child_process";
import type { Ignore } from "ignore";
import { z } from "zod";
import { inspectRepoPath } from "../../security/safe-read.ts";
import { isIgnored, rulesFrom, scanIgnoreFiles } from "./gitignore.ts";
import { ToolError, defineTool } from "./tool.ts";

/**
 * `search`: a regular-expression search across the working copy with ripgrep
 * (`rg` on PATH; Debian's is /usr/bin/rg). ripgrep respects .gitignore, skips
 * `.git`, never follows symbolic links and ignores user config files; matches
 * are capped and long lines cut. Without rg the tool says so clearly.
 * ripgrep runs in the app's process's name, so a hostile tree must not steer
 * what it reads: it walks only regular files (`--no-follow`, special files are
 * skipped when walked, and an explicit path must be a regular file or a
 * directory), never reads git's exclude or global files (a `.git` file could
 * name any host path), and reads ignore files only after every one in the tree
 * was checked to be a small regular file; when one is not (a FIFO blocks
 * ripgrep, a link to /dev/zero makes it allocate without end), ripgrep reads
 * none (`--no-ignore`) and the app applies the safe ones to its output. The
 * child has a deadline and its output is capped.
 */

export const SEARCH_DEFAULT_MAX = 100;
const SEARCH_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
/** The files ripgrep reads rules from, in its order of precedence (later wins). */
const IGNORE_NAMES = [".gitignore", ".ignore", ".rgignore"];

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

/** With `keep`, output lines are `path\0rest` (--null) and only kept paths count. */
function runRipgrep(args: string[], cwd: string, max: number, signal?: AbortSignal, keep?: (path: string) => boolean): Promise<RgResult> {
  return new Promise((resolvePromise, reject) => {
    const timeout = AbortSignal.timeout(SEARCH_TIMEOUT_MS);
    const child = spawn("rg", args, { cwd, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    let truncated = false;
    let pending = "";
    let stderr = "";
    let bytes = 0;
    const take = (raw: string) => {
      if (!keep) return lines.push(raw);
      const nul = raw.indexOf("\0");
      if (nul !== -1 && keep(raw.slice(0, nul))) lines.push(`${raw.slice(0, nul)}:${raw.slice(nul + 1)}`);
    };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (truncated) return;
      bytes += chunk.length;
      const parts = (pending + chunk).split("\n");
      pending = parts.pop() ?? "";
      for (const line of parts) {
        if (lines.length >= max || bytes > MAX_OUTPUT_BYTES) {
          truncated = true;
          child.kill("SIGKILL");
          return;
        }
        take(line);
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
      if (!truncated && pending !== "" && lines.length < max) take(pending);
      resolvePromise({ lines, truncated, code, stderr });
    });
  });
}

export const searchTool = defineTool({
  name: "search",
  description: "Search file contents with a regular expression (ripgrep). Returns matching lines as <path>:<line>:<text>, git-ignored files skipped.",
  schema,
  async execute(input, ctx) {
    const target = await inspectRepoPath(ctx.root, input.path);
    if (!target.ok) {
      throw new ToolError(target.refusal === "special" ? target.message.replace("regular file", "regular file or directory") : target.message);
    }
    ctx.stats.searches++;
    const args = ["--no-config", "--line-number", "--no-heading", "--with-filename", "--color", "never", "--no-require-git", "--hidden"];
    args.push("--no-follow", "--no-ignore-exclude", "--no-ignore-global");
    args.push("--glob", "!.git", "--max-columns", "300", "--max-columns-preview", "--max-filesize", "4M");
    if (input.ignore_case) args.push("--ignore-case");
    if (input.glob) args.push("--glob", input.glob);
    const { safe, unsafe } = await scanIgnoreFiles(ctx.root, IGNORE_NAMES);
    let keep: ((path: string) => boolean) | undefined;
    if (unsafe.length > 0) {
      const order = (f: string) => IGNORE_NAMES.indexOf(f.slice(f.lastIndexOf("/") + 1));
      const rules: Map<string, Ignore> = await rulesFrom(
        ctx.root,
        [...safe].sort((a, b) => order(a) - order(b)),
      );
      args.push("--no-ignore", "--null");
      keep = (path) => !isIgnored(path.replace(/^\.\//, ""), rules);
    }
    args.push("--regexp", input.pattern);
    if (target.rel !== "") args.push("--", target.rel);

    const result = await runRipgrep(args, ctx.root, input.max_results, ctx.signal, keep);
    if (result.code === 2 && result.lines.length === 0) {
      throw new ToolError(`search failed: ${result.stderr.trim().slice(0, 1500) || "ripgrep exited with an error"}`);
    }
    const hits = `${result.lines.length}${result.truncated ? "+" : ""} hit${result.lines.length === 1 && !result.truncated ? "" : "s"}`;
    const summary = `searched '${input.pattern}'${target.rel ? ` in ${target.rel}` : ""} (${hits})`;
    if (result.lines.length === 0) return { content: `No matches for /${input.pattern}/ in ${target.rel || "."}.`, summary };
    const cut = result.truncated ? `\n[only the first ${input.max_results} matches are shown; narrow the pattern, path or glob]` : "";
    const note = unsafe.length > 0 ? `${cut}\n[ignore files that are not regular files were skipped: ${unsafe.slice(0, 3).join("; ")}]` : cut;
    return { content: `${result.lines.join("\n")}${note}`, summary };
  },
});
