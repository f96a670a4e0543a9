/**
 * One eval task, whichever set it comes from: the repository it starts from
 * (files of a bundled task, or a git repository and base commit of a user's
 * set), the issue a user would write, the setup and test commands, the tests
 * that must pass, the hidden tests added only when grading (never shown to
 * the agent), and the reference solution (used only to prove the task can be
 * solved, and by the scripted model `scripted:solve`).
 */

export type FileMap = Record<string, string>;

/** Files by path, or a unified diff applied with `git apply`. */
export type Change = { kind: "files"; files: FileMap } | { kind: "patch"; patch: string };

export type Source = { kind: "files"; files: FileMap } | { kind: "git"; url: string; baseCommit: string | null };

export interface EvalTask {
  /** Letters, digits, `.`, `_` and `-`: the task's name in reports and `--tasks`. */
  name: string;
  language: string;
  /** Commands the task's setup and tests need on this machine (`go`, `cargo`…): a task whose tool is missing is skipped, not failed. */
  requires: string[];
  issue: { title: string; body: string };
  source: Source;
  /** Runs before the agent works and before grading (with setup's network), or null. */
  setup: string | null;
  /** The repository's test command: jules.yml `test:`, and what grading runs (with `tests`). */
  test: string;
  /** The tests that must pass: appended to `test` when grading (or put where `{tests}` is). Empty: the whole command. */
  tests: string[];
  /** Added over the delivered branch before grading (the hidden tests), or null. */
  hidden: Change | null;
  /** The reference solution, or null (then `scripted:solve` cannot solve the task). */
  reference: Change | null;
}

/** A mistake in what the user asked for (flags, a task file): exit code 2, no stack. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const TASK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The command grading runs: the test command with the tests that must pass, each shell-quoted. */
export function gradingCommand(task: Pick<EvalTask, "test" | "tests">): string {
  if (task.tests.length === 0) return task.test.replace("{tests}", "");
  const quoted = task.tests.map(shellQuote).join(" ");
  return task.test.includes("{tests}") ? task.test.replace("{tests}", quoted) : `${task.test} ${quoted}`;
}

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The `--tasks` filter: comma-separated names, `*` matching any run of characters. */
export function matchesFilter(name: string, filter: string[]): boolean {
  if (filter.length === 0) return true;
  return filter.some((pattern) => new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`).test(name));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
