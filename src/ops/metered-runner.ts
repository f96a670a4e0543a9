/**
 * The sandbox runner's metrics decorator (runs by outcome), apart from the
 * other decorators (instrument.ts) so a web-only process, which runs no
 * commands, never loads the sandbox.
 */
import { SandboxUnavailableError, type SandboxRunner } from "../sandbox/index.ts";
import type { Metrics, SandboxOutcome } from "./metrics.ts";

export function sandboxOutcome(result: Awaited<ReturnType<SandboxRunner["run"]>>): SandboxOutcome {
  if (result.timedOut || result.killedBy === "timeout") return "timeout";
  if (result.killedBy) return "killed";
  return result.exitCode === 0 ? "passed" : "failed";
}

export function meteredRunner(runner: SandboxRunner, metrics: Pick<Metrics, "sandboxRun">): SandboxRunner {
  return {
    mode: runner.mode,
    async run(command, options) {
      try {
        const result = await runner.run(command, options);
        metrics.sandboxRun(sandboxOutcome(result));
        return result;
      } catch (error) {
        metrics.sandboxRun(error instanceof SandboxUnavailableError ? "refused" : "error");
        throw error;
      }
    },
  };
}
