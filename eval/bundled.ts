import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { z } from "zod";
import { TASK_NAME, type EvalTask, type FileMap } from "./task.ts";

/**
 * The bundled tasks: one folder per task under eval/tasks/<name>/ with
 * `repo/` (the repository as the agent finds it), `issue.md` (a `# title`
 * line, then the body a user would write), `hidden/` (test files copied over
 * the delivered branch before grading), the reference solution as
 * `solution.patch` (a unified diff against repo/, applied with `git apply`)
 * or `solution/` (changed or new files at their paths), and `task.json`
 * (language, the tools it needs, setup and test commands).
 */

export const TASKS_DIR = join(import.meta.dirname, "tasks");

const TaskJson = z
  .object({
    language: z.string().min(1),
    requires: z.array(z.string().min(1)).default([]),
    setup: z.string().min(1).nullable().default(null),
    test: z.string().min(1),
    tests: z.array(z.string().min(1)).default([]),
  })
  .strict();

/** Every file under `dir`, by path relative to it (forward slashes). */
export function readTree(dir: string): FileMap {
  const files: FileMap = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files[relative(dir, path).split(sep).join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

/** The issue of issue.md: its first line (without `#`) is the title, the rest the body. */
export function parseIssue(text: string): { title: string; body: string } {
  const [first = "", ...rest] = text.replace(/^\s+/, "").split("\n");
  return { title: first.replace(/^#+\s*/, "").trim(), body: rest.join("\n").trim() };
}

export function loadBundledTask(dir: string, name: string): EvalTask {
  if (!TASK_NAME.test(name)) throw new Error(`eval/tasks/${name}: a task's folder name must be letters, digits, ".", "_" and "-"`);
  const where = (part: string) => join(dir, part);
  for (const part of ["task.json", "issue.md", "repo", "hidden"]) {
    if (!existsSync(where(part))) throw new Error(`eval/tasks/${name} has no ${part}`);
  }
  const patch = existsSync(where("solution.patch"));
  if (!patch && !existsSync(where("solution"))) throw new Error(`eval/tasks/${name} has no solution.patch (or solution/)`);
  const parsed = TaskJson.safeParse(JSON.parse(readFileSync(where("task.json"), "utf8")));
  if (!parsed.success) throw new Error(`eval/tasks/${name}/task.json: ${z.prettifyError(parsed.error)}`);
  const json = parsed.data;
  return {
    name,
    language: json.language,
    requires: json.requires,
    issue: parseIssue(readFileSync(where("issue.md"), "utf8")),
    source: { kind: "files", files: readTree(where("repo")) },
    setup: json.setup,
    test: json.test,
    tests: json.tests,
    hidden: { kind: "files", files: readTree(where("hidden")) },
    reference: patch ? { kind: "patch", patch: readFileSync(where("solution.patch"), "utf8") } : { kind: "files", files: readTree(where("solution")) },
  };
}

/** Every bundled task, by name. */
export function loadBundledTasks(root = TASKS_DIR): EvalTask[] {
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => loadBundledTask(join(root, name), name));
}
