/**
 * The sandbox port: one runner for every repository command (setup, tests,
 * the agent's `run` tool), the startup probe, setup/test command detection and
 * output trimming for the agent. See runner.ts and bubblewrap.ts.
 */

export { createSandboxRunner, DEFAULT_LIMITS, SandboxUnavailableError } from "./runner.ts";
export type { RunOptions, RunResult, SandboxMode, SandboxRunner, SandboxRunnerOptions } from "./runner.ts";
export type { Limits } from "./bubblewrap.ts";
export { probeSandbox, type ProbeOptions, type SandboxProbe } from "./detect.ts";
export { SandboxSetupError } from "./ownership.ts";
export { sandboxReach, type Reach } from "./reach.ts";
export { SandboxQuotaError } from "./disk-quota.ts";
export type { CgroupHost } from "./cgroup.ts";
export { resolveTestCommands, type TestCommands } from "./test-commands.ts";
export { cleanOutput, trimOutput } from "./trim-output.ts";
