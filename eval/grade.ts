import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { createSandboxRunner, type SandboxRunner } from "../src/sandbox/index.ts";
import type { Settings } from "../src/settings.ts";
import { applyChange } from "./repos.ts";
import { gradingCommand, type EvalTask } from "./task.ts";

/**
 * Whether a working copy solves a task: the hidden tests are added (files
 * copied over it, or the test patch applied), setup runs (with setup's
 * network) when the task has one, then the test command with the tests that
 * must pass, all in the bubblewrap sandbox with a HOME of its own, as
 * OpenJules runs a repository's commands. Solved means that command exits 0.
 */

export interface Grade {
  solved: boolean;
  command: string;
  exitCode: number | null;
  /** The last lines of the output (setup's when it failed). */
  output: string;
  /** Why it could not be graded as asked (a failed setup, a hidden-test patch that does not apply), or null. */
  problem: string | null;
}

export function graderRunner(settings: Settings): SandboxRunner {
  const s = settings.sandbox;
  return createSandboxRunner({
    mode: s.mode,
    bwrapPath: s.bwrapPath,
    limits: { memoryBytes: s.memoryBytes, processes: s.processes, tmpfsBytes: s.tmpfsBytes },
    diskQuotaBytes: s.diskQuotaBytes,
    extraReadOnly: s.readOnlyPaths,
    setupNetwork: s.setupNetwork,
  });
}

const tailOf = (text: string, lines = 40) => text.trimEnd().split("\n").slice(-lines).join("\n");

export async function gradeWorkingCopy(runner: SandboxRunner, task: EvalTask, workdir: string, options: { timeoutMs: number; homeParent: string }): Promise<Grade> {
  const command = gradingCommand(task);
  if (task.hidden) {
    try {
      await applyChange(workdir, task.hidden);
    } catch (error) {
      return { solved: false, command, exitCode: null, output: "", problem: `the hidden tests could not be added: ${(error as Error).message}` };
    }
  }
  const home = await mkdtemp(join(options.homeParent, "openjules-eval-home-"));
  try {
    if (task.setup) {
      const setup = await runner.run(task.setup, { cwd: workdir, timeoutMs: options.timeoutMs, network: true, home });
      if (setup.exitCode !== 0 || setup.timedOut) {
        return {
          solved: false,
          command,
          exitCode: setup.exitCode,
          output: tailOf(setup.output),
          problem: `setup \`${task.setup}\` failed (${setup.timedOut ? "timed out" : `exit ${setup.exitCode}`})`,
        };
      }
    }
    const result = await runner.run(command, { cwd: workdir, timeoutMs: options.timeoutMs, home });
    return {
      solved: result.exitCode === 0 && !result.timedOut,
      command,
      exitCode: result.exitCode,
      output: tailOf(result.output),
      problem: result.timedOut ? "the tests timed out" : null,
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
