import { z } from "zod";
import { ToolError, defineTool } from "./tool.ts";

/**
 * `run`: a shell command in the task's working copy, through a CommandRunner
 * (the sandbox provides one; it holds no secrets and has no network). Without
 * a runner the tool answers that running commands is unavailable. The output
 * the model sees is capped, keeping its head and its tail.
 */

export const RUN_OUTPUT_CHARS = 20_000;
/** How long past its timeout a command may take to be killed and reported before the loop abandons it. */
const RUN_GRACE_MS = 60_000;

/** Keeps the first and last parts of a long text, marking the cut. */
export function headTail(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.3);
  const tail = max - head;
  return `${text.slice(0, head)}\n[... ${text.length - max} characters cut ...]\n${text.slice(-tail)}`;
}

const schema = z.object({
  command: z.string().min(1).max(4000).describe("Shell command, run with sh -c in the repository root (no network access)."),
  timeout_seconds: z.number().int().min(1).max(1800).optional().describe("Time limit; default and maximum are set by the operator."),
  keep: z
    .boolean()
    .optional()
    .describe(
      "true: what this command creates, changes or deletes becomes part of your change and is committed (generators, `npm init`, `mv`, `rm`). Default false: a checking command (build, tests, linters), whose new files are never committed and whose changes to files of your change or of the repository are undone.",
    ),
});

/** How many paths a tool result names in each list. */
const LISTED = 20;
const list = (paths: readonly string[]) => `${paths.slice(0, LISTED).join(", ")}${paths.length > LISTED ? ` and ${paths.length - LISTED} more` : ""}`;

/** Pure: what the model is told about the files a command changed. */
export function changesNote(changes: { changed: readonly string[]; kept: readonly string[]; undone: readonly string[] }, keep: boolean): string {
  if (changes.changed.length === 0) return "";
  if (keep) {
    const refused = changes.changed.filter((p) => !changes.kept.includes(p));
    return `\n[kept as part of your change: ${list(changes.kept) || "nothing"}${refused.length > 0 ? `; not committable (ignored, nested repository or submodule): ${list(refused)}` : ""}]`;
  }
  const created = changes.changed.filter((p) => !changes.undone.includes(p));
  const parts = [
    created.length > 0 ? `left in the working copy but never committed: ${list(created)}` : null,
    changes.undone.length > 0 ? `changes to ${list(changes.undone)} were undone` : null,
  ].filter(Boolean);
  return `\n[this command was not kept (keep: false): ${parts.join("; ")}. Make changes with edit_file/write_file, or run the command again with keep: true if its changes belong in your change.]`;
}

export const runTool = defineTool({
  name: "run",
  description:
    "Run a shell command (build, tests, linters) in the repository root inside a sandbox without network. Returns the exit code, the output and which files it changed. Only your edits are committed: pass keep: true for a command whose file changes are part of your change (a generator, `npm init`, `rm`); without it, new files stay uncommitted and changes to existing files are undone.",
  schema,
  deadlineMs: (ctx) => ctx.commandTimeoutMs + RUN_GRACE_MS,
  async execute(input, ctx) {
    if (!ctx.runner) throw new ToolError("running commands is not available in this installation; rely on reading the code instead");
    if (ctx.mode !== "execute") throw new ToolError("run is not available while planning");
    const timeoutMs = Math.min((input.timeout_seconds ?? Infinity) * 1000, ctx.commandTimeoutMs);
    ctx.stats.commands++;
    const runner = ctx.runner;
    const keep = input.keep === true;
    const once = () => runner.run(input.command, { cwd: ctx.root, timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const tracked = ctx.changes ? await ctx.changes.command("agent_command", keep, once) : null;
    const result = tracked ? tracked.result : await once();
    const status = result.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)}s` : result.exitCode === null ? "killed" : `exit code ${result.exitCode}`;
    const output = headTail(result.output, RUN_OUTPUT_CHARS);
    const shown = input.command.split("\n")[0]!.slice(0, 120);
    const summary = `ran \`${shown}${shown.length < input.command.length ? " …" : ""}\` (${status})`;
    return { content: `${status}\n${output || "(no output)"}${tracked ? changesNote(tracked, keep) : ""}`, isError: result.exitCode !== 0, summary };
  },
});
