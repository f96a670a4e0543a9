import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { SandboxRunner } from "../src/sandbox/index.ts";
import { gradeWorkingCopy, type Grade } from "./grade.ts";
import { applyChange, cloneLocal, publishTask } from "./repos.ts";
import type { EvalTask } from "./task.ts";

/**
 * The check that a task measures something (`--check`, and the bundled
 * tasks' test): graded as the agent finds it, the task must fail; with its
 * reference solution applied, it must pass; and the reference must keep the
 * repository's own test command green (what OpenJules runs before it
 * delivers). All in the sandbox, from the task's published repository, with
 * no model involved.
 */

export interface TaskCheck {
  task: string;
  /** Graded without a fix: must be false. */
  unsolvedPasses: boolean;
  /** Graded with the reference solution: must be true. */
  solvedPasses: boolean;
  /** The repository's test command (no hidden tests) with the reference solution: must pass. */
  visiblePasses: boolean;
  problems: string[];
}

export async function checkTask(runner: SandboxRunner, task: EvalTask, options: { timeoutMs: number; workDir: string }): Promise<TaskCheck> {
  const root = await mkdtemp(join(options.workDir, "openjules-eval-check-"));
  try {
    const bare = join(root, "origin.git");
    await publishTask(task, bare);
    const copy = async (withReference: boolean) => {
      const dir = await cloneLocal(bare, root);
      if (withReference && task.reference) await applyChange(dir, task.reference);
      return dir;
    };
    const grade = (dir: string, t: EvalTask): Promise<Grade> => gradeWorkingCopy(runner, t, dir, { timeoutMs: options.timeoutMs, homeParent: root });
    const unsolved = await grade(await copy(false), task);
    const solved = await grade(await copy(true), task);
    const visible = await grade(await copy(true), { ...task, hidden: null, tests: [] });
    const problems: string[] = [];
    if (!task.reference) problems.push("it has no reference solution");
    if (unsolved.solved) problems.push(`its hidden tests pass without a fix (\`${unsolved.command}\`)`);
    if (!solved.solved)
      problems.push(`its hidden tests fail with the reference solution (exit ${solved.exitCode}${solved.problem ? `; ${solved.problem}` : ""}):\n${solved.output}`);
    if (!visible.solved) problems.push(`its own tests fail with the reference solution (exit ${visible.exitCode}):\n${visible.output}`);
    return { task: task.name, unsolvedPasses: unsolved.solved, solvedPasses: solved.solved, visiblePasses: visible.solved, problems };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
