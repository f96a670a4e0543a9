/**
 * The sandbox port: one runner for every repository command (setup, tests,
 * the agent's `run` tool), the startup probe and setup/test command
 * detection. See runner.ts and bubblewrap.ts.
 */

export { createSandboxRunner, SandboxUnavailableError } from "./runner.ts";
export type { SandboxRunner, SandboxRunnerOptions } from "./runner.ts";
export { probeSandbox, type ProbeOptions, type SandboxProbe } from "./detect.ts";
export { SandboxSetupError } from "./ownership.ts";
export { sandboxReach } from "./reach.ts";
export { SandboxQuotaError } from "./disk-quota.ts";
export { resolveTestCommands } from "./test-commands.ts";
