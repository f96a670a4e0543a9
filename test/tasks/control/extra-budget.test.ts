import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { budgetWords, parseExtraBudget } from "../../../src/tasks/control/extra-budget.ts";

describe("parseExtraBudget", () => {
  const cases: [string, { turns?: number; tokens?: number; costUsd?: number; minutes?: number }][] = [
    ["", {}],
    ["$2", { costUsd: 2 }],
    ["$1.50", { costUsd: 1.5 }],
    ["3 dollars", { costUsd: 3 }],
    ["20 turns", { turns: 20 }],
    ["1 turn", { turns: 1 }],
    ["30 minutes", { minutes: 30 }],
    ["30 min", { minutes: 30 }],
    ["30m", { minutes: 30 }],
    ["1h", { minutes: 60 }],
    ["2 hours", { minutes: 120 }],
    ["100k tokens", { tokens: 100_000 }],
    ["2M tokens", { tokens: 2_000_000 }],
    ["5000 tokens", { tokens: 5000 }],
    ["$2, 20 turns", { costUsd: 2, turns: 20 }],
    ["$2 20 turns and 30 minutes", { costUsd: 2, turns: 20, minutes: 30 }],
    ["$1 + $1", { costUsd: 2 }],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseExtraBudget(text), { ok: true, extra: { turns: 0, tokens: 0, costUsd: 0, minutes: 0, ...expected } });
    });
  }

  for (const text of ["plenty", "20", "5k turns", "$", "2 apples", "-$2"]) {
    it(`refuses ${JSON.stringify(text)}, saying how to write a budget`, () => {
      const parsed = parseExtraBudget(text);
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? "" : parsed.message, /is not a budget: write "\$2", "20 turns", "30 minutes" or "100k tokens"/);
    });
  }

  it("says a budget in words", () => {
    assert.equal(budgetWords({ turns: 20, tokens: 100_000, costUsd: 2, minutes: 30 }), "$2.00, 20 turns, 100,000 tokens, 30 minutes");
    assert.equal(budgetWords({ turns: 0, tokens: 0, costUsd: 0, minutes: 0 }), "");
  });
});
