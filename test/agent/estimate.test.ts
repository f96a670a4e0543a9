import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { estimateExecutionCost } from "../../src/agent/estimate.ts";

/** The cost estimate of a plan, from planning's size, the model's price and the plan's steps (see its doc comment). */
describe("estimateExecutionCost", () => {
  const planning = { inputTokens: 40_000, outputTokens: 1_200, calls: 4, wallMs: 9_000, costUsd: 0.138 };
  const price = { input: 3, output: 15 };

  it("is calls × (planning's context per call × 1.5 × input price + its output per call × output price), up to the cent", () => {
    // 10,000 tokens in per call → 15,000; 300 out per call; 4 + 3 × 2 = 10 calls: 10 × (15,000 × $3 + 300 × $15) / 1M = $0.495.
    assert.equal(estimateExecutionCost({ planning, price, steps: 2 }), 0.5);
    // Each step adds three calls.
    assert.equal(estimateExecutionCost({ planning, price, steps: 5 }), 0.95);
  });

  it("counts at least 200 output tokens a call", () => {
    // 10 × (15,000 × $3 + 200 × $15) / 1M = $0.48
    assert.equal(estimateExecutionCost({ planning: { ...planning, outputTokens: 40 }, price, steps: 2 }), 0.48);
  });

  it("is not known without a price, or when planning made no call", () => {
    assert.equal(estimateExecutionCost({ planning, price: null, steps: 2 }), null);
    assert.equal(estimateExecutionCost({ planning: { ...planning, calls: 0 }, price, steps: 2 }), null);
  });
});
