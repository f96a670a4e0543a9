import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { gradingCommand, matchesFilter, UsageError } from "../../eval/task.ts";
import { parseTasksFile } from "../../eval/tasks-file.ts";

/** The JSON Lines format of a user's task set (README, "Eval"), and the commands and filters built from a task. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "eval-tasks-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (task: Record<string, unknown>) => JSON.stringify(task);

describe("a tasks file", () => {
  it("reads every field, resolves a relative path against the file, and skips blank and # lines", () => {
    const text = [
      "# my tasks",
      line({
        id: "fix-1",
        repo: ".",
        base_commit: "abc1234",
        problem_statement: "Dates are off by one\n\nThe report shows yesterday.",
        setup: "pip install -e .",
        test: "python -m pytest",
        tests: ["tests/test_dates.py::test_today"],
        test_patch: "diff --git a/x b/x\n",
        patch: "diff --git a/y b/y\n",
        language: "python",
        requires: ["python3"],
      }),
      "",
      line({ id: "remote", repo: "https://example.com/org/app.git", problem_statement: "Add a flag", test: "npm test" }),
    ].join("\n");
    const [first, second] = parseTasksFile(text, join(dir, "set.jsonl"));
    assert.deepEqual(first, {
      name: "fix-1",
      language: "python",
      requires: ["python3"],
      issue: { title: "Dates are off by one", body: "Dates are off by one\n\nThe report shows yesterday." },
      source: { kind: "git", url: dir, baseCommit: "abc1234" },
      setup: "pip install -e .",
      test: "python -m pytest",
      tests: ["tests/test_dates.py::test_today"],
      hidden: { kind: "patch", patch: "diff --git a/x b/x\n" },
      reference: { kind: "patch", patch: "diff --git a/y b/y\n" },
    });
    assert.equal(second?.source.kind === "git" && second.source.url, "https://example.com/org/app.git");
    assert.equal(second?.source.kind === "git" && second.source.baseCommit, null);
    assert.deepEqual([second?.tests, second?.hidden, second?.reference, second?.setup], [[], null, null, null]);
  });

  it("takes SWE-bench's names: instance_id, owner/name, FAIL_TO_PASS and PASS_TO_PASS as JSON text", () => {
    const text = line({
      instance_id: "org__app-42",
      repo: "org/app",
      base_commit: "0123456789abcdef0123456789abcdef01234567",
      problem_statement: "Crash on empty input",
      test: "pytest -x",
      FAIL_TO_PASS: '["tests/test_a.py::test_empty"]',
      PASS_TO_PASS: ["tests/test_a.py::test_one", "tests/test_a.py::test_empty"],
      version: "1.0",
    });
    const [task] = parseTasksFile(text, join(dir, "swe.jsonl"));
    assert.equal(task?.name, "org__app-42");
    assert.deepEqual(task?.source, { kind: "git", url: "https://github.com/org/app.git", baseCommit: "0123456789abcdef0123456789abcdef01234567" });
    assert.deepEqual(task?.tests, ["tests/test_a.py::test_empty", "tests/test_a.py::test_one"]);
  });

  it("names the line and the field of a mistake", () => {
    const file = join(dir, "bad.jsonl");
    const cases: [string, RegExp][] = [
      ["{not json", /bad\.jsonl:1: not JSON/],
      [line({ id: "a", repo: ".", test: "x" }), /bad\.jsonl:1: .*problem_statement/s],
      [line({ id: "a b", repo: ".", problem_statement: "p", test: "x" }), /"id" must be letters/],
      [line({ id: "a", repo: ".", problem_statement: "p", test: "x", base_commit: "main" }), /base_commit/],
      [line({ id: "a", repo: "no/such/dir/here", problem_statement: "p", test: "x" }), /"repo": "no\/such\/dir\/here" is neither/],
      [`${line({ id: "a", repo: ".", problem_statement: "p", test: "x" })}\n${line({ id: "a", repo: ".", problem_statement: "p", test: "x" })}`, /:2: the id "a" is used twice/],
      ["# nothing\n", /holds no task/],
    ];
    for (const [text, message] of cases)
      assert.throws(
        () => parseTasksFile(text, file),
        (error: Error) => error instanceof UsageError && message.test(error.message),
      );
  });
});

describe("grading command and filter", () => {
  it("appends the tests that must pass, quoted, or puts them at {tests}", () => {
    assert.equal(gradingCommand({ test: "go test ./...", tests: [] }), "go test ./...");
    assert.equal(gradingCommand({ test: "pytest", tests: ["tests/a.py::test_x", "it's here"] }), "pytest tests/a.py::test_x 'it'\\''s here'");
    assert.equal(gradingCommand({ test: "npm test -- {tests} --bail", tests: ["a b"] }), "npm test -- 'a b' --bail");
  });

  it("matches names and * patterns", () => {
    assert.ok(matchesFilter("py-roman", []));
    assert.ok(matchesFilter("py-roman", ["go-*", "py-*"]));
    assert.ok(matchesFilter("rust-page-ranges", ["*-page-*"]));
    assert.ok(!matchesFilter("py-roman", ["py"]));
    assert.ok(!matchesFilter("py.roman", ["py*x"]));
  });
});
