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
 * `detectTestCommand` is where automatic detection plugs in (default: the
 * `test` of jules.yml).
 */

export interface TestPhaseOptions {
  runner?: CommandRunner | undefined;
  /** The command to run, or null when none is known. */
  detectTestCommand?: (workdir: string, config: RepoConfig) => Promise<string | null>;
  timeoutMs: number;
  fixRounds: number;
  /** Values never shown in a summary (API keys). */
  secrets?: readonly string[];
}

const SUMMARY_CHARS = 3000;

export const UNAVAILABLE: TestReport = { command: null, passed: null, summary: "running commands is not available" };

export async function runTests(options: TestPhaseOptions, workdir: string, config: RepoConfig, signal?: AbortSignal): Promise<TestReport> {
  if (!options.runner) return UNAVAILABLE;
  const command = await (options.detectTestCommand ?? (async (_dir, c) => c.test ?? null))(workdir, config);
  if (!command) return { command: null, passed: null, summary: "no test command is configured (set `test` in .github/jules.yml)" };
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
