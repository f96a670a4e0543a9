import type { CommandRunner } from "./command-runner.ts";
import { OutputStream } from "./command-output.ts";
import type { TaskEvents } from "./port.ts";

/**
 * The runner with every command written to the task's event log: a
 * `command` event when it starts (exit code null, no duration yet), its
 * output as `output` chunks while it runs (command-output.ts: cleaned,
 * redacted, never a secret split) when the runner streams it (the sandbox
 * does), else its captured output in chunks once it ended, then a `command`
 * event with the exit code (null: killed or timed out) and how long it took.
 * The source is the command's purpose: setup (and the toolchain's install),
 * tests, or the agent's `run` tool.
 */
export function eventedRunner(runner: CommandRunner, events: TaskEvents | undefined, secrets: readonly string[]): CommandRunner {
  if (!events) return runner;
  return {
    async run(command, opts) {
      const source = opts.purpose ?? "agent";
      const output = new OutputStream((chunk) => events.emit({ type: "output", source, chunk }), secrets);
      events.emit({ type: "command", source, command, exitCode: null, durationMs: 0 });
      const started = performance.now();
      let streamed = false;
      let exitCode: number | null = null;
      try {
        const onOutput = (text: string) => {
          streamed = true;
          output.write(text);
          opts.onOutput?.(text);
        };
        const result = await runner.run(command, { ...opts, onOutput });
        if (!streamed) output.write(result.output);
        exitCode = result.timedOut ? null : result.exitCode;
        return result;
      } finally {
        output.end();
        events.emit({ type: "command", source, command, exitCode, durationMs: Math.round(performance.now() - started) });
      }
    },
  };
}
