import type { CommandRunner } from "./tools/run.ts";

/**
 * The port through which the agent records its change (the workspace
 * implements it, see workspace/changes.ts): only what the agent writes with
 * its tools, and what a `run` command it keeps changes, is ever committed.
 * Every other repository command (setup, the tests, `run` without `keep`)
 * goes through `command()`: what it creates stays for the next commands but
 * is never committed, and the files of the change it touches are put back.
 */

/** Who ran a command whose changes were not kept. */
export type CommandSource = "setup" | "tests" | "agent_command";

export interface CommandChanges<T> {
  result: T;
  /** Paths the command created, changed or deleted (relative to the working copy). */
  changed: string[];
  /** Of those, the ones now part of the change (`keep`). */
  kept: string[];
  /** Of those, files of the change (or of the base) put back as they were before the command. */
  undone: string[];
}

export interface ChangeRecord {
  /** The agent wrote these paths with its tools: they are part of the change as they are now. Returns those that can be (not ignored, not in a nested repository). */
  keep(paths: readonly string[]): Promise<string[]>;
  /** Runs a repository command and sorts out what it changed. */
  command<T>(source: CommandSource, keep: boolean, run: () => Promise<T>): Promise<CommandChanges<T>>;
}

/**
 * The runner of the test phase: the setup command and the test run go
 * through the change record, so nothing they leave behind is committed and
 * the files of the change they touch are put back.
 */
export function recordedRunner(runner: CommandRunner, changes: ChangeRecord): CommandRunner {
  return { run: async (cmd, opts) => (await changes.command(opts.purpose ?? "tests", false, () => runner.run(cmd, opts))).result };
}
