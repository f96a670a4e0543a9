import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { loadBundledTasks } from "../../eval/bundled.ts";
import type { EvalReport } from "../../eval/report.ts";
import { SCRIPTED_PRICE_OF, SCRIPTED_USAGE } from "../../eval/scripted.ts";
import { DEFAULT_PRICES } from "../../src/agent/prices.ts";
import { runEvalCli } from "./cli.ts";

/**
 * `npm run eval` with the scripted models, as CI runs it: the real CLI in a
 * process of its own, the real pipeline (Probot, store, queue, the agent and
 * the OpenAI SDK against the scripted model server, git workspaces, the
 * bubblewrap sandbox, delivery to the local git server and the GitHub
 * stand-in), on every bundled task (about two minutes on two cores, two
 * attempts at a time). scripted:solve solves every task, scripted:wrong
 * none, each in 4 turns of the scripted token counts, at the price table's
 * price, and the figures per model add up.
 */

const TASKS = loadBundledTasks().map((t) => t.name);

describe("npm run eval with the scripted models", { timeout: 900_000 }, () => {
  let cwd: string;
  let report: EvalReport;
  let stderr: string;
  beforeAll(async () => {
    // An empty working directory: no .env of the developer's is read.
    cwd = await mkdtemp(join(tmpdir(), "eval-cli-"));
    const run = await runEvalCli(["--json", "--models", "scripted:solve,scripted:wrong", "--parallel", "2"], cwd);
    assert.equal(run.code, 0, run.stderr);
    report = JSON.parse(run.stdout) as EvalReport;
    stderr = run.stderr;
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  const price = DEFAULT_PRICES[SCRIPTED_PRICE_OF]!;
  const turns = 4;
  const tokensIn = turns * SCRIPTED_USAGE.input;
  const tokensOut = turns * SCRIPTED_USAGE.output;
  const cost = (tokensIn * price.input + tokensOut * price.output) / 1_000_000;

  it("scripted:solve solves every task and scripted:wrong none, each in 4 turns of the scripted tokens at the price table's price", () => {
    assert.deepEqual([tokensIn, tokensOut, cost], [8000, 800, 0.028]);
    assert.equal(report.attempts.length, 2 * TASKS.length);
    for (const a of report.attempts) {
      const solve = a.model === "scripted:solve";
      const where = `${a.model} ${a.task}: ${a.note}`;
      assert.equal(a.solved, solve, where);
      assert.equal(a.state, "done", where);
      assert.deepEqual([a.turns, a.tokensIn, a.tokensOut, a.costUsd], [turns, tokensIn, tokensOut, cost], where);
      assert.ok(a.wallMs > 0 && a.wallMs < 300_000, where);
      // Delivered: a pull request on the stand-in; the repository's own tests pass with either change, only the hidden ones tell.
      assert.ok(a.pullRequest && a.pullRequest.number > 0, where);
      assert.equal(a.ownTests, "passed", where);
      assert.equal(a.note, solve ? null : a.note?.match(/^hidden tests failed \(exit \d+\)$/)?.[0], where);
      assert.equal(a.agent, "builtin");
    }
    assert.deepEqual(
      report.attempts.map((a) => `${a.model} ${a.task}`),
      ["scripted:solve", "scripted:wrong"].flatMap((m) => TASKS.map((t) => `${m} ${t}`)),
    );
  });

  it("reports the run per model and agent: solve rate 100% and 0%, total and median cost and time", () => {
    assert.deepEqual(report.models, ["scripted:solve", "scripted:wrong"]);
    assert.deepEqual(report.agents, ["builtin"]);
    assert.equal(report.tasks, TASKS.length);
    assert.equal(report.format, "openjules-eval/1");
    const figures = report.summary.map((g) => ({ ...g, totalWallMs: 0, medianWallMs: 0 }));
    const expected = (model: string, solved: number) => ({
      model,
      agent: "builtin",
      attempts: TASKS.length,
      solved,
      skipped: 0,
      solveRate: solved / TASKS.length,
      totalCostUsd: Math.round(TASKS.length * cost * 1e6) / 1e6,
      medianCostUsd: cost,
      totalWallMs: 0,
      medianWallMs: 0,
      turns: TASKS.length * turns,
      tokensIn: TASKS.length * tokensIn,
      tokensOut: TASKS.length * tokensOut,
    });
    assert.deepEqual(figures, [expected("scripted:solve", TASKS.length), expected("scripted:wrong", 0)]);
    assert.equal(report.summary[0]!.solveRate, 1);
    assert.equal(report.summary[1]!.solveRate, 0);
    for (const g of report.summary) {
      const walls = report.attempts.filter((a) => a.model === g.model).map((a) => a.wallMs);
      assert.equal(
        g.totalWallMs,
        walls.reduce((x, y) => x + y, 0),
      );
      assert.ok(g.medianWallMs >= Math.min(...walls) && g.medianWallMs <= Math.max(...walls));
    }
  });

  it("says on stderr how each attempt went, as it ends", () => {
    const lines = stderr.split("\n").filter((l) => /^\[\d+\/\d+\] /.test(l));
    assert.equal(lines.length, 2 * TASKS.length, stderr);
    assert.ok(
      lines.every((l) => l.includes(`/${2 * TASKS.length}] `)),
      stderr,
    );
    assert.ok(
      lines.some((l) => /scripted:solve builtin py-roman-numerals: solved \(\d+\.\d s\)$/.test(l)),
      stderr,
    );
    assert.ok(
      lines.some((l) => /scripted:wrong builtin sh-bump-version: not solved \(\d+\.\d s\) — hidden tests failed \(exit 1\)$/.test(l)),
      stderr,
    );
  });
});
