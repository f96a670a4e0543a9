import type { RepoConfig } from "../config/repo-config.ts";
import { redactSecrets } from "../security/redact.ts";
import type { ToolLoop } from "./loop.ts";
import type { Progress, TestReport } from "./ports.ts";
import { headTail, type CommandRunner } from "./tools/run.ts";

/**
 * The test step of execution, the seam the sandbox extends: after `finish`,
 * the repository's test command runs through the CommandRunner; when it
 * fails, the output goes back to the model in the same conversation and it
 * gets up to `fixRounds` chances to fix the code and finish again. Without a
 * runner, or without a test command, the report says so instead.
 * `detectCommands` is where automatic detection plugs in (default: `setup`
 * and `test` of jules.yml). Before the agent starts, `prepare` runs the setup
 * command once (with public-only network through the egress proxy when
 * `setup_network: public` and the operator allow it) and says in
 * the status which commands were chosen and why, or that none was found.
 */

/** The repository's setup and test commands, and why they were chosen (shown to the person). */
export interface RepoCommands {
  setup: string | null;
  test: string | null;
  reason: string;
}

export interface TestPhaseOptions {
  runner?: CommandRunner | undefined;
  /** Setup and test commands for a working copy (default: jules.yml's `setup` and `test`). */
  detectCommands?: (workdir: string, config: RepoConfig) => Promise<RepoCommands>;
  timeoutMs: number;
  fixRounds: number;
  /** Values never shown in a summary (API keys). */
  secrets?: readonly string[];
}

const SUMMARY_CHARS = 3000;

export const UNAVAILABLE: TestReport = { command: null, passed: null, summary: "running commands is not available" };

const fromConfig = async (_dir: string, config: RepoConfig): Promise<RepoCommands> => ({
  setup: config.setup ?? null,
  test: config.test ?? null,
  reason: config.test ? "from .github/jules.yml" : "no `test` in .github/jules.yml",
});

export function commandsFor(options: TestPhaseOptions, workdir: string, config: RepoConfig): Promise<RepoCommands> {
  return (options.detectCommands ?? fromConfig)(workdir, config);
}

/**
 * Before the agent works: report the chosen commands and run the setup
 * command. Returns a note for the model when setup failed (the agent may be
 * able to fix it, e.g. a broken manifest), else null.
 */
export async function prepare(options: TestPhaseOptions, workdir: string, config: RepoConfig, progress: Progress, signal?: AbortSignal): Promise<string | null> {
  if (!options.runner) return null;
  const commands = await commandsFor(options, workdir, config);
  progress.activity(commands.test ? `tests: \`${commands.test}\` (${commands.reason})` : `no test command found (${commands.reason}); set \`test\` in .github/jules.yml`);
  if (!commands.setup) return null;
  const network = config.setup_network === "public";
  const result = await options.runner.run(commands.setup, { cwd: workdir, timeoutMs: options.timeoutMs, network, ...(signal ? { signal } : {}) });
  if (result.exitCode === 0 && !result.timedOut) return null;
  const output = redactSecrets(headTail(result.output.trim(), SUMMARY_CHARS), options.secrets ?? []);
  const how = result.network ? `; ${result.network}` : network ? "" : ", without network (`setup_network: public` in .github/jules.yml gives it public hosts)";
  return `The setup command \`${commands.setup}\` failed (${result.timedOut ? "timed out" : `exit code ${result.exitCode ?? "none"}`}${how}):\n${output}`;
}

export async function runTests(options: TestPhaseOptions, workdir: string, config: RepoConfig, signal?: AbortSignal): Promise<TestReport> {
  if (!options.runner) return UNAVAILABLE;
  const { test: command, reason } = await commandsFor(options, workdir, config);
  if (!command) return { command: null, passed: null, summary: `no test command found (${reason}); set \`test\` in .github/jules.yml` };
  const result = await options.runner.run(command, { cwd: workdir, timeoutMs: options.timeoutMs, ...(signal ? { signal } : {}) });
  const passed = result.exitCode === 0 && !result.timedOut;
  const status = result.timedOut ? `timed out after ${Math.round(options.timeoutMs / 1000)}s` : `exit code ${result.exitCode ?? "none (killed)"}`;
  const output = redactSecrets(headTail(result.output.trim(), SUMMARY_CHARS), options.secrets ?? []);
  return { command, passed, summary: `${passed ? "passed" : "failed"} (${status})${output ? `\n${output}` : ""}` };
}

/** Runs the tests after `finish`; on failure lets the model fix and finish again. Returns the last summary and report. */
export async function testAndFix(
  options: TestPhaseOptions,
  run: { loop: ToolLoop; summary: string; workdir: string; config: RepoConfig; progress: Progress; signal?: AbortSignal },
): Promise<{ summary: string; tests: TestReport }> {
  let summary = run.summary;
  for (let round = 0; ; round++) {
    run.progress.phase?.("testing");
    const tests = await runTests(options, run.workdir, run.config, run.signal);
    if (tests.passed !== false || round >= options.fixRounds) return { summary, tests };
    run.progress.phase?.("working");
    const outcome = await run.loop.run(
      `The tests failed after your changes.\nCommand: ${tests.command}\n${tests.summary}\n\nFix the code (not the tests, unless they are wrong), then call finish again with an updated summary.`,
    );
    if (outcome.kind === "finish") summary = outcome.summary;
  }
}
