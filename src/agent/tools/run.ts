import { z } from "zod";
import { ToolError, defineTool } from "./tool.ts";

/**
 * `run`: a shell command in the task's working copy, through a CommandRunner
 * (the sandbox provides one; it holds no secrets and has no network). Without
 * a runner the tool answers that running commands is unavailable. The output
 * the model sees is capped, keeping its head and its tail.
 */

export interface CommandResult {
  /** null when the command was killed (timeout, signal). */
  exitCode: number | null;
  /** Combined stdout and stderr, already capped by the runner. */
  output: string;
  timedOut: boolean;
  /** When the command asked for network: what it had (public hosts through the egress proxy, or none by the operator's choice). */
  network?: string;
}

export interface CommandOptions {
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Only ever set for the setup command (jules.yml `setup_network: public`, the default). */
  network?: boolean;
  /** Host directory used as HOME: the task's own, so what setup installs there is there for the tests. */
  home?: string;
  /** Extra environment (jules.yml `env:`, validated there). */
  env?: Record<string, string>;
}

export interface CommandRunner {
  run(cmd: string, opts: CommandOptions): Promise<CommandResult>;
}

/** What every repository command of one task runs with: the task's HOME and the repository's `env:`. */
export interface TaskEnvironment {
  home: string;
  env: Record<string, string>;
}

/**
 * The runner one task's commands go through (setup, the `run` tool, tests):
 * each gets the task's HOME and `env:`, whatever the caller passed, so no
 * command of the task can end up with a fresh HOME and lose what setup installed.
 */
export function taskRunner(runner: CommandRunner, task: TaskEnvironment): CommandRunner {
  return { run: (cmd, opts) => runner.run(cmd, { ...opts, home: task.home, env: { ...task.env } }) };
}

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
});

export const runTool = defineTool({
  name: "run",
  description: "Run a shell command (build, tests, linters) in the repository root inside a sandbox without network. Returns the exit code and output.",
  schema,
  deadlineMs: (ctx) => ctx.commandTimeoutMs + RUN_GRACE_MS,
  async execute(input, ctx) {
    if (!ctx.runner) throw new ToolError("running commands is not available in this installation; rely on reading the code instead");
    if (ctx.mode !== "execute") throw new ToolError("run is not available while planning");
    const timeoutMs = Math.min((input.timeout_seconds ?? Infinity) * 1000, ctx.commandTimeoutMs);
    ctx.stats.commands++;
    const result = await ctx.runner.run(input.command, { cwd: ctx.root, timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const status = result.timedOut
      ? `timed out after ${Math.round(timeoutMs / 1000)}s`
      : result.exitCode === null
        ? "killed"
        : `exit code ${result.exitCode}`;
    const output = headTail(result.output, RUN_OUTPUT_CHARS);
    return { content: `${status}\n${output || "(no output)"}`, isError: result.exitCode !== 0 };
  },
});
