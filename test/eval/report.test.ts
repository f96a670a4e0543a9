import assert from "node:assert/strict";
import { describe, expect, it } from "vitest";
import { emptyResult, median, renderTable, summarize, type AttemptResult, type EvalReport } from "../../eval/report.ts";

/** The run's figures per model and agent, and the table on the terminal. */

const attempt = (task: string, model: string, over: Partial<AttemptResult>): AttemptResult => ({
  ...emptyResult({ name: task, language: "python" }, model, "builtin", 1),
  state: "done",
  ownTests: "passed",
  ...over,
});

const attempts = [
  attempt("a", "openai:gpt-4o", { solved: true, turns: 6, tokensIn: 12_000, tokensOut: 900, costUsd: 0.039, wallMs: 30_000 }),
  attempt("b", "openai:gpt-4o", {
    solved: false,
    turns: 9,
    tokensIn: 20_500,
    tokensOut: 1_500,
    costUsd: 0.06625,
    wallMs: 50_000,
    ownTests: "failed",
    note: "hidden tests failed (exit 1)",
  }),
  attempt("c", "openai:gpt-4o", { solved: true, turns: 4, tokensIn: 7_000, tokensOut: 500, costUsd: 0.0225, wallMs: 20_000 }),
  attempt("d", "openai:gpt-4o", { skipped: true, state: null, ownTests: null, note: "cargo is not installed on this machine" }),
  attempt("a", "scripted:solve", { solved: true, turns: 4, tokensIn: 8_000, tokensOut: 800, costUsd: 0.028, wallMs: 4_000 }),
];

describe("summarize", () => {
  it("counts what ran: solve rate, totals and medians; skipped attempts apart", () => {
    const [gpt, scripted] = summarize(attempts, ["openai:gpt-4o", "scripted:solve"], ["builtin"]);
    assert.deepEqual(gpt, {
      model: "openai:gpt-4o",
      agent: "builtin",
      attempts: 3,
      solved: 2,
      skipped: 1,
      solveRate: 2 / 3,
      totalCostUsd: 0.12775,
      medianCostUsd: 0.039,
      totalWallMs: 100_000,
      medianWallMs: 30_000,
      turns: 19,
      tokensIn: 39_500,
      tokensOut: 2_900,
    });
    assert.equal(scripted?.solveRate, 1);
    assert.equal(summarize([], ["x"], ["builtin"])[0]?.solveRate, 0);
  });

  it("median of an even count is the mean of the middle two", () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), 0);
  });
});

describe("renderTable", () => {
  it("prints one line per attempt, then the run's figures per model and agent", () => {
    const models = ["openai:gpt-4o", "scripted:solve"];
    const report: EvalReport = {
      format: "openjules-eval/1",
      startedAt: "2026-01-01T00:00:00.000Z",
      wallMs: 110_000,
      models,
      agents: ["builtin"],
      tasks: 4,
      repeat: 1,
      summary: summarize(attempts, models, ["builtin"]),
      attempts,
    };
    expect(renderTable(report)).toMatchInlineSnapshot(`
      "task  model           agent    run  solved   own tests  turns  tokens in  tokens out     cost    time  note
      ----  --------------  -------  ---  -------  ---------  -----  ---------  ----------  -------  ------  --------------------------------------
      a     openai:gpt-4o   builtin    1  yes      passed         6     12,000         900  $0.0390  30.0 s
      b     openai:gpt-4o   builtin    1  no       failed         9     20,500       1,500  $0.0663  50.0 s  hidden tests failed (exit 1)
      c     openai:gpt-4o   builtin    1  yes      passed         4      7,000         500  $0.0225  20.0 s
      d     openai:gpt-4o   builtin    1  skipped  -              0          0           0  $0.0000   0.0 s  cargo is not installed on this machine
      a     scripted:solve  builtin    1  yes      passed         4      8,000         800  $0.0280   4.0 s

      4 tasks; 110.0 s in all

      model           agent    solved  solve rate  total cost  median cost  total time  median time  skipped
      --------------  -------  ------  ----------  ----------  -----------  ----------  -----------  -------
      openai:gpt-4o   builtin     2/3       66.7%     $0.1278      $0.0390     100.0 s       30.0 s        1
      scripted:solve  builtin     1/1        100%     $0.0280      $0.0280       4.0 s        4.0 s        0
      "
    `);
  });
});
