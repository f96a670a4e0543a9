import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { loadBundledTasks } from "../../eval/bundled.ts";
import { countOf, solvingCalls, wrongCalls, type ToolCall } from "../../eval/edits.ts";
import { checkTasks } from "../../eval/harness.ts";
import { publishTask, referenceFiles } from "../../eval/repos.ts";

/**
 * The bundled tasks measure something: each fails as the agent finds it and
 * passes with its reference solution, graded in the real bubblewrap sandbox
 * the way an eval grades a delivered branch (hidden tests added, the task's
 * test command), and its reference keeps the repository's own tests green.
 * And the scripted models' calls do what they promise on each: scripted:solve's
 * edits, applied as edit_file applies them (old_string exactly once), make the
 * reference solution; scripted:wrong's only add blank lines.
 */

const tasks = loadBundledTasks();

function applied(files: Record<string, string>, calls: ToolCall[]): Record<string, string> {
  const out = { ...files };
  for (const { name, input } of calls) {
    const path = String(input.path);
    if (name === "write_file") out[path] = String(input.content);
    else if (name === "edit_file") {
      const [old, replacement] = [String(input.old_string), String(input.new_string)];
      assert.equal(countOf(out[path] ?? "", old), 1, `${path}: old_string must occur exactly once`);
      out[path] = out[path]!.replace(old, () => replacement);
    } else assert.fail(`unexpected call ${name}`);
  }
  return out;
}

describe("the bundled eval tasks", { timeout: 900_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "eval-tasks-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("are at least 20, across JavaScript, Python, Go, Rust, Java and shell, each with an issue, hidden tests and a reference", () => {
    assert.ok(tasks.length >= 20, `${tasks.length} tasks`);
    assert.deepEqual([...new Set(tasks.map((t) => t.language))].sort(), ["go", "java", "javascript", "python", "rust", "shell"]);
    for (const t of tasks) {
      assert.ok(t.issue.title.length > 10 && t.issue.body.length > 100, `${t.name}: the issue needs a title and a body a user would write`);
      const { hidden, reference, source } = t;
      assert.ok(hidden?.kind === "files" && Object.keys(hidden.files).length > 0, `${t.name}: hidden tests`);
      assert.ok(reference?.kind === "patch" && reference.patch.startsWith("diff --git "), `${t.name}: a reference solution`);
      assert.ok(source.kind === "files" && Object.keys(hidden.files).every((path) => !(path in source.files)), `${t.name}: hidden tests are not in the repository`);
      assert.ok(t.requires.length > 0, `${t.name}: the tools it needs`);
    }
  });

  it("fail without a fix and pass with the reference solution, in the sandbox", async () => {
    const checks = await checkTasks(tasks, { PATH: process.env.PATH }, 2, () => {});
    assert.equal(checks.length, tasks.length);
    const problems = checks.filter((c) => c.problems.length > 0).map((c) => `${c.task}: ${c.problems.join("; ")}`);
    assert.deepEqual(problems, []);
    assert.ok(checks.every((c) => !c.unsolvedPasses && c.solvedPasses && c.visiblePasses));
  });

  it("are solved by scripted:solve's edits and left unsolved by scripted:wrong's blank lines", async () => {
    for (const task of tasks) {
      const bare = join(dir, `${task.name}.git`);
      const files = await referenceFiles(task.reference!, bare, await publishTask(task, bare));
      assert.ok(files.length > 0 && files.every((f) => f.before !== null && f.after !== null), `${task.name}: the reference edits files of the repository`);
      const before = Object.fromEntries(files.map((f) => [f.path, f.before!]));
      const solved = applied(before, solvingCalls(files));
      for (const f of files) assert.equal(solved[f.path], f.after, `${task.name} ${f.path}: scripted:solve makes the reference`);
      const wrong = applied(before, wrongCalls(files));
      for (const f of files) {
        assert.notEqual(wrong[f.path], f.before, `${task.name} ${f.path}: scripted:wrong changes it`);
        assert.equal(wrong[f.path]!.replace(/\n\n+/g, "\n"), f.before!.replace(/\n\n+/g, "\n"), `${task.name} ${f.path}: scripted:wrong adds blank lines only`);
      }
    }
  });
});
