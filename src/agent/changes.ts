import type { CommandRunner } from "./command-runner.ts";
import type { ChangeRecord } from "./port.ts";

/**
 * The runner of the test phase: the setup command and the test run go
 * through the change record, so nothing they leave behind is committed and
 * the files of the change they touch are put back.
 */
export function recordedRunner(runner: CommandRunner, changes: ChangeRecord): CommandRunner {
  return { run: async (cmd, opts) => (await changes.command(opts.purpose ?? "tests", false, () => runner.run(cmd, opts))).result };
}
