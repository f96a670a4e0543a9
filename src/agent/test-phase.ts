import type { RepoConfig } from "../config/repo-config.ts";
import type { EnvironmentReuse } from "../sandbox/snapshot/index.ts";
import { commandWord } from "../render/escape.ts";
import { missingTool, missingToolHint } from "../sandbox/missing-tool.ts";
import { declaredToolchains, ensureToolchains, withToolchain, type ToolchainReport } from "../sandbox/toolchain/index.ts";
import { cleanLines, summarizeOutput, tail } from "../sandbox/output-summary.ts";
import { trimOutput } from "../sandbox/trim-output.ts";
import { redactSecrets } from "../security/redact.ts";
import type { ToolLoop } from "./loop.ts";
import { AgentError, type Progress } from "./port.ts";
import type { TestReport } from "../domain/test-report.ts";
import type { CommandResult, CommandRunner } from "./command-runner.ts";
import type { TranscriptEntry } from "./transcript.ts";

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
 *
 * Every command output a person sees passes through `shown` here, once:
 * cleaned of terminal escapes, cut to the failing tests (or the tail), secrets
 * redacted; the full output goes to the task's transcript, and the shortened
 * text says where it is. A failed setup stops the task before the model runs
 * (`on_setup_failure: stop`, the default: nobody should pay for a model run
 * on an environment that cannot run the tests, and the person sees the
 * command, its output and what to fix); `continue` lets the agent work
 * anyway, told what failed. A test command that cannot run because a tool is
 * missing (exit 127, "not found") is an environment problem, reported as
 * such: never "tests failed", and the model is not asked to fix code for it.
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
  /** Where the full output of setup and tests is kept (the task's transcript), and how a person reads it. */
  log?: { record(entry: TranscriptEntry): void; where: string };
  /** This task's environment snapshots (src/sandbox/snapshot/): an identical earlier setup's result replaces or warms setup. */
  environment?: EnvironmentReuse | undefined;
  /** Set by `prepare`: the toolchain the task's commands run with (src/sandbox/toolchain/), named in each test report. */
  toolchain?: ToolchainReport;
}

const SUMMARY_CHARS = 3000;
const MODEL_CHARS = 8000;
const SETUP_TAIL_LINES = 30;

export const UNAVAILABLE: TestReport = { command: null, passed: null, summary: "running commands is not available" };

const fromConfig = async (_dir: string, config: RepoConfig): Promise<RepoCommands> => ({
  setup: config.setup ?? null,
  test: config.test ?? null,
  reason: config.test ? "from .github/jules.yml" : "this installation does not detect commands, and .github/jules.yml names none",
});

export function commandsFor(options: TestPhaseOptions, workdir: string, config: RepoConfig): Promise<RepoCommands> {
  return (options.detectCommands ?? fromConfig)(workdir, config);
}

/** The one sentence for a repository without a test command. */
export function noTestCommand(reason: string): string {
  return `no test command found (${reason}); set \`test:\` in .github/jules.yml to have changes tested`;
}

const statusOf = (result: CommandResult, timeoutMs: number) =>
  result.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)}s` : `exit code ${result.exitCode ?? "none (killed)"}`;

/** The one place command output becomes text for people: recorded in full, then cleaned, shortened and redacted. */
function shown(options: TestPhaseOptions, purpose: "setup" | "test", command: string, result: CommandResult, summary = summarizeOutput(result.output, SUMMARY_CHARS)): string {
  options.log?.record({ type: "command", purpose, command, exitCode: result.exitCode, timedOut: result.timedOut, output: result.output });
  const where = summary.shortened && options.log ? `\n\nFull output (${summary.lines} lines): ${options.log.where}.` : "";
  return redactSecrets(`${summary.text}${where}`, options.secrets ?? []);
}

/** What the person can do about a failed setup. */
function setupHint(config: RepoConfig, network: boolean, missing: string | null): string {
  const again = `start the task again with \`/${commandWord(config.command)} <what to do>\``;
  if (missing) return `${missingToolHint(missing)} Then start the task again.`;
  const net = network
    ? "For a private registry, the operator must add its host to JULES_SETUP_ALLOW_HOSTS (setup reaches public hosts only)."
    : "If it downloads packages, give it network with `setup_network: public` in .github/jules.yml (public hosts only; a private registry must be in the operator's JULES_SETUP_ALLOW_HOSTS).";
  return `Fix \`setup:\` in .github/jules.yml (or what it installs from). ${net} To let the agent work despite a failing setup (for example to fix the manifest itself), set \`on_setup_failure: continue\`. Then ${again}.`;
}

/** Thrown by `prepare` when setup failed and `on_setup_failure` is `stop`: the task fails before the model runs. */
export class SetupFailedError extends AgentError {
  constructor(message: string, hint: string, output: string) {
    super(message, hint, undefined, output);
    this.name = "SetupFailedError";
  }
}

/**
 * Before the agent works: report the chosen commands, bring the toolchain
 * the repository declares (the Node it names, installed into the task's HOME
 * with setup's network when the sandbox's differs; a Python, Go or Rust
 * mismatch named; src/sandbox/toolchain/), and run the setup command. A
 * declared Node that cannot be installed is handled as a failed setup. A failed setup throws SetupFailedError (`on_setup_failure: stop`,
 * the default), or, with `continue`, returns a note for the model (the agent
 * may be able to fix it, e.g. a broken manifest) and says so in the status;
 * else null.
 */
export async function prepare(options: TestPhaseOptions, workdir: string, config: RepoConfig, progress: Progress, signal?: AbortSignal): Promise<string | null> {
  if (!options.runner) return null;
  const commands = await commandsFor(options, workdir, config);
  progress.activity(commands.test ? `tests: \`${commands.test}\` (${commands.reason})` : noTestCommand(commands.reason));
  const network = config.setup_network === "public";
  const declared = await declaredToolchains(workdir);
  // Environment snapshots: restored on the pristine checkout, kept after a successful setup (never a failed one).
  const environment = commands.setup ? await options.environment?.open(workdir, { setup: commands.setup, env: config.env, network, toolchain: declared.key }, signal) : undefined;
  if (environment?.reused) {
    progress.activity(environment.reused.line);
    options.log?.record({ type: "note", text: environment.reused.line });
  }
  // The declared Node, installed into HOME when the sandbox's differs (after a restore, which may hold it already).
  const toolchain = await ensureToolchains(recording(options, options.runner), workdir, declared, { network, timeoutMs: options.timeoutMs, ...(signal ? { signal } : {}) });
  options.toolchain = toolchain;
  for (const line of toolchain.lines) progress.activity(line);
  const failure = toolchain.failure;
  if (failure && config.on_setup_failure !== "continue")
    throw new SetupFailedError(`${failure.problem} So the agent did not start.`, failure.hint, redactSecrets(trimOutput(failure.output, SUMMARY_CHARS), options.secrets ?? []));
  const note = failure ? `${failure.problem} (\`on_setup_failure: continue\`)` : null;
  if (!commands.setup || environment?.reused?.skipSetup) return note;
  const result = await options.runner.run(commands.setup, { cwd: workdir, timeoutMs: options.timeoutMs, network, purpose: "setup", ...(signal ? { signal } : {}) });
  if (result.exitCode === 0 && !result.timedOut) {
    options.log?.record({ type: "command", purpose: "setup", command: commands.setup, exitCode: 0, timedOut: false, output: result.output });
    await environment?.save();
    return note;
  }
  const lines = cleanLines(result.output);
  const missing = result.timedOut ? null : missingTool(result.exitCode, lines.join("\n"));
  const last = tail(lines, SUMMARY_CHARS, SETUP_TAIL_LINES);
  const output = shown(options, "setup", commands.setup, result, { text: last.join("\n"), shortened: last.length < lines.length, lines: lines.length });
  const how = result.network ? `; ${result.network}` : network ? "" : ", without network (`setup_network: public` in .github/jules.yml gives it public hosts)";
  const what = `The setup command \`${commands.setup}\` failed (${statusOf(result, options.timeoutMs)}${how})${missing ? `: \`${missing.tool}\` is not installed` : ""}`;
  if (config.on_setup_failure !== "continue") throw new SetupFailedError(`${what}, so the agent did not start.`, setupHint(config, network, missing?.tool ?? null), output);
  progress.activity(`setup failed (\`${commands.setup}\`, ${statusOf(result, options.timeoutMs)}); continuing (\`on_setup_failure: continue\`)`);
  return `${note ? `${note}\n\n` : ""}${what}:\n${redactSecrets(trimOutput(result.output, MODEL_CHARS), options.secrets ?? [])}`;
}

/** The runner with every command recorded in the task's transcript (the toolchain's probe and install). */
const recording = (options: TestPhaseOptions, runner: CommandRunner): CommandRunner => ({
  async run(command, opts) {
    const result = await runner.run(command, opts);
    options.log?.record({ type: "command", purpose: "setup", command, exitCode: result.exitCode, timedOut: result.timedOut, output: result.output });
    return result;
  },
});

/** The test run as reported, and the output the model gets to fix a failure. */
async function runTestCommand(options: TestPhaseOptions, workdir: string, config: RepoConfig, signal?: AbortSignal): Promise<{ report: TestReport; forModel: string }> {
  if (!options.runner) return { report: UNAVAILABLE, forModel: "" };
  const { test: command } = await commandsFor(options, workdir, config);
  if (!command) return { report: { command: null, passed: null, summary: "" }, forModel: "" };
  const result = await options.runner.run(command, { cwd: workdir, timeoutMs: options.timeoutMs, purpose: "tests", ...(signal ? { signal } : {}) });
  const passed = result.exitCode === 0 && !result.timedOut;
  const status = statusOf(result, options.timeoutMs);
  const forModel = passed ? "" : redactSecrets(trimOutput(result.output, MODEL_CHARS), options.secrets ?? []);
  const missing = passed || result.timedOut ? null : missingTool(result.exitCode, cleanLines(result.output).join("\n"));
  const output = shown(options, "test", command, result);
  if (missing) {
    const environment = {
      problem: `\`${missing.tool}\` is not installed where OpenJules runs the repository's commands (${status}: ${missing.line}).`,
      hint: missingToolHint(missing.tool),
    };
    return { report: withToolchain({ command, passed: null, summary: `could not run (${status})${output ? `\n${output}` : ""}`, environment }, options.toolchain), forModel };
  }
  return { report: withToolchain({ command, passed, summary: `${passed ? "passed" : "failed"} (${status})${output ? `\n${output}` : ""}` }, options.toolchain), forModel };
}

export async function runTests(options: TestPhaseOptions, workdir: string, config: RepoConfig, signal?: AbortSignal): Promise<TestReport> {
  return (await runTestCommand(options, workdir, config, signal)).report;
}

/**
 * Runs the tests after `finish`; on failure lets the model fix and finish
 * again. An environment problem (a missing tool) ends it at once: no code
 * change can fix it. Returns the last summary and report.
 */
export async function testAndFix(
  options: TestPhaseOptions,
  run: { loop: ToolLoop; summary: string; workdir: string; config: RepoConfig; progress: Progress; signal?: AbortSignal },
): Promise<{ summary: string; tests: TestReport }> {
  let summary = run.summary;
  for (let round = 0; ; round++) {
    run.progress.phase?.("testing");
    const { report: tests, forModel } = await runTestCommand(options, run.workdir, run.config, run.signal);
    if (tests.passed !== false || round >= options.fixRounds) return { summary, tests };
    run.progress.phase?.("working");
    const outcome = await run.loop.run(
      `The tests failed after your changes.\nCommand: ${tests.command}\n${tests.summary.split("\n")[0]}\n${forModel}\n\nFix the code (not the tests, unless they are wrong), then call finish again with an updated summary.`,
    );
    if (outcome.kind === "finish") summary = outcome.summary;
  }
}
