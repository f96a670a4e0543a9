import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { EvalReport } from "../../eval/report.ts";
import { runEvalCli } from "./cli.ts";

/**
 * A user's own task set (`--tasks-file`, JSON Lines) on local repositories,
 * through the real CLI and pipeline with the scripted models: one task with
 * hidden tests in `test_patch` at an older `base_commit` (the branch's tip
 * already has the fix, so grading the tip instead would count the wrong
 * change as solved), and one in SWE-bench's shape (`instance_id`,
 * `FAIL_TO_PASS` as JSON text, `PASS_TO_PASS`) whose failing test is in the
 * repository: the wrong change leaves OpenJules's own test run red, so the
 * model gets its two rounds to fix it and the pull request is a draft.
 */

const run = promisify(execFile);
const GIT_ENV = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: "/nonexistent",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Dev",
  GIT_AUTHOR_EMAIL: "dev@example.com",
  GIT_COMMITTER_NAME: "Dev",
  GIT_COMMITTER_EMAIL: "dev@example.com",
};
const git = async (cwd: string, ...args: string[]) => (await run("git", args, { cwd, env: GIT_ENV })).stdout.trim();

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

/** A change to the working tree as a patch, then undone. */
async function patchOf(repo: string, files: Record<string, string>): Promise<string> {
  await write(repo, files);
  await git(repo, "add", "-N", ".");
  const patch = `${await git(repo, "diff")}\n`;
  await git(repo, "reset", "--quiet");
  await git(repo, "checkout", "--quiet", "--", ".");
  await git(repo, "clean", "-fdq");
  return patch;
}

const STATS = 'def percent(part, whole):\n    """part as a percentage of whole."""\n    return part / whole * 100\n';
const STATS_FIXED =
  'def percent(part, whole):\n    """part as a percentage of whole; 0.0 when whole is 0."""\n    if whole == 0:\n        return 0.0\n    return part / whole * 100\n';
const WORDS = 'def first_word(text):\n    """The first word of text."""\n    return text.split()[0]\n';
const WORDS_TEST =
  "import unittest\n\nfrom words import first_word\n\n\nclass WordsTest(unittest.TestCase):\n    def test_first(self):\n        self.assertEqual(first_word('hello world'), 'hello')\n\n    def test_empty(self):\n        self.assertEqual(first_word('   '), '')\n";

describe("npm run eval --tasks-file with a local JSON Lines set", { timeout: 600_000 }, () => {
  let dir: string;
  let file: string;
  let report: EvalReport;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "eval-set-"));
    const repo = join(dir, "app");
    await mkdir(repo);
    await git(repo, "init", "--quiet", "--initial-branch=main");
    await write(repo, {
      "stats.py": STATS,
      "tests/__init__.py": "",
      "tests/test_stats.py":
        "import unittest\n\nfrom stats import percent\n\n\nclass StatsTest(unittest.TestCase):\n    def test_half(self):\n        self.assertEqual(percent(1, 2), 50.0)\n",
    });
    await git(repo, "add", ".");
    await git(repo, "commit", "--quiet", "-m", "stats");
    const base = await git(repo, "rev-parse", "HEAD");
    const hidden = await patchOf(repo, {
      "tests/test_zero.py":
        "import unittest\n\nfrom stats import percent\n\n\nclass ZeroTest(unittest.TestCase):\n    def test_zero(self):\n        self.assertEqual(percent(3, 0), 0.0)\n",
    });
    const fix = await patchOf(repo, { "stats.py": STATS_FIXED });
    // The tip moves on: percent is fixed there, and words.py arrives with a failing test of its own.
    await write(repo, { "stats.py": STATS_FIXED, "words.py": WORDS, "tests/test_words.py": WORDS_TEST });
    await git(repo, "add", ".");
    await git(repo, "commit", "--quiet", "-m", "words");
    const wordsFix = await patchOf(repo, {
      "words.py": 'def first_word(text):\n    """The first word of text ("" when it has none)."""\n    words = text.split()\n    return words[0] if words else ""\n',
    });
    file = join(dir, "set.jsonl");
    const lines = [
      "# two tasks on ./app",
      JSON.stringify({
        id: "percent-of-zero",
        repo: "app",
        base_commit: base,
        problem_statement: "percent() crashes when the whole is 0\n\n`percent(3, 0)` raises ZeroDivisionError; it should return 0.0, as the dashboard shows an empty chart then.",
        test: "python3 -m unittest -v",
        tests: ["tests.test_zero"],
        test_patch: hidden,
        patch: fix,
        language: "python",
        requires: ["python3"],
      }),
      JSON.stringify({
        instance_id: "app__words-1",
        repo,
        problem_statement: "first_word fails on blank text\n\nfirst_word('   ') raises IndexError instead of returning ''.",
        test: "python3 -m unittest -v",
        FAIL_TO_PASS: JSON.stringify(["tests.test_words.WordsTest.test_empty"]),
        PASS_TO_PASS: ["tests.test_words.WordsTest.test_first"],
        patch: wordsFix,
      }),
    ];
    await writeFile(file, `${lines.join("\n")}\n`);
    const result = await runEvalCli(["--json", "--tasks-file", file, "--models", "scripted:solve,scripted:wrong", "--parallel", "2"], dir);
    assert.equal(result.code, 0, result.stderr);
    report = JSON.parse(result.stdout) as EvalReport;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("scripted:solve solves both at the base commit and scripted:wrong neither, with the figures of the script", () => {
    const rows = report.attempts.map((a) => [a.model, a.task, a.solved, a.state, a.turns, a.tokensIn, a.tokensOut, a.costUsd, a.ownTests, a.pullRequest?.draft]);
    assert.deepEqual(rows, [
      ["scripted:solve", "percent-of-zero", true, "done", 4, 8000, 800, 0.028, "passed", true],
      ["scripted:solve", "app__words-1", true, "done", 4, 8000, 800, 0.028, "passed", true],
      ["scripted:wrong", "percent-of-zero", false, "done", 4, 8000, 800, 0.028, "passed", true],
      // Its own tests stay red: finish, then two rounds of "the tests failed" answered with finish again.
      ["scripted:wrong", "app__words-1", false, "done", 6, 12000, 1200, 0.042, "failed", true],
    ]);
    assert.deepEqual(
      report.summary.map((g) => [g.model, g.solved, g.attempts, g.solveRate, g.totalCostUsd, g.medianCostUsd]),
      [
        ["scripted:solve", 2, 2, 1, 0.056, 0.028],
        ["scripted:wrong", 0, 2, 0, 0.07, 0.035],
      ],
    );
    assert.match(report.attempts[2]!.note ?? "", /^hidden tests failed \(exit 1\)$/);
  });

  it("--check proves the set measures something; --list lists it", async () => {
    const check = await runEvalCli(["--check", "--tasks-file", file], dir);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.deepEqual(check.stdout.trim().split("\n").sort(), ["ok   app__words-1", "ok   percent-of-zero"]);
    const list = await runEvalCli(["--list", "--tasks-file", file], dir);
    assert.match(list.stdout, /^percent-of-zero +python +percent\(\) crashes when the whole is 0$/m);
    assert.match(list.stdout, /^app__words-1 +unknown +first_word fails on blank text$/m);
  });

  it("refuses a mistake in the set or the flags with exit code 2 and what to fix", async () => {
    await writeFile(join(dir, "bad.jsonl"), '{"id": "x", "repo": "app", "test": "true"}\n');
    const bad = await runEvalCli(["--tasks-file", join(dir, "bad.jsonl"), "--models", "scripted:solve"], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.jsonl:1: .*problem_statement/s);
    const flags = await runEvalCli(["--models", "scripted:solve", "--repeat", "0"], dir);
    assert.equal(flags.code, 2);
    assert.match(flags.stderr, /--repeat must be a whole number from 1 to 1000/);
    const unknown = await runEvalCli(["--model", "x"], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--model'/);
  });
});
