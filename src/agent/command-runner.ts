/**
 * How the agent runs a repository command: the sandbox provides a runner (it
 * holds no secrets and has no network); setup, the `run` tool and the tests go
 * through it, wrapped per task by `taskRunner`.
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
  /** Set by the test phase: the setup command or the test run (what they leave behind is never committed). */
  purpose?: "setup" | "tests";
  /** Told the output as the command writes it, when the runner can stream it (the sandbox's can). */
  onOutput?: ((text: string) => void) | undefined;
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
