import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { budgetError, effectiveBudget, exceeded } from "../../src/agent/budget.ts";
import { parsePriceOverride, priceFor } from "../../src/agent/prices.ts";
import { UsageMeter } from "../../src/agent/usage.ts";

const caps = { maxTurns: 40, maxTokens: 2_000_000, maxCostUsd: 5, maxMinutes: 30 };
const usage = (tokens: number, costUsd = 0) => ({ inputTokens: tokens, outputTokens: 0, calls: 1, wallMs: 0, costUsd });

describe("budgets", () => {
  it("takes the repository's value capped by the operator's", () => {
    assert.deepEqual(effectiveBudget({}, caps), { maxTurns: 40, maxTokens: 2_000_000, maxCostUsd: 5, maxWallMs: 1_800_000 });
    assert.deepEqual(effectiveBudget({ max_turns: 10, max_tokens: 9_000_000, max_cost_usd: 1, max_minutes: 60 }, caps), {
      maxTurns: 10,
      maxTokens: 2_000_000,
      maxCostUsd: 1,
      maxWallMs: 1_800_000,
    });
  });

  it("names the first budget reached", () => {
    const b = effectiveBudget({ max_turns: 3, max_tokens: 100, max_cost_usd: 1, max_minutes: 1 }, caps);
    assert.equal(exceeded(b, { turns: 2, usage: usage(99, 0.5), elapsedMs: 59_000 }), null);
    assert.equal(exceeded(b, { turns: 3, usage: usage(0), elapsedMs: 0 }), "turns");
    assert.equal(exceeded(b, { turns: 0, usage: usage(100), elapsedMs: 0 }), "tokens");
    assert.equal(exceeded(b, { turns: 0, usage: usage(0, 1), elapsedMs: 0 }), "cost");
    assert.equal(exceeded(b, { turns: 0, usage: usage(0), elapsedMs: 60_000 }), "time");
  });

  it("explains the stop and how to raise the budget", () => {
    const error = budgetError("cost", effectiveBudget({ max_cost_usd: 0.5 }, caps), "Execution", usage(10, 0.51));
    assert.equal(error.message, "Execution stopped: the task reached its budget of $0.50 (estimated)");
    assert.match(error.hint, /budgets\.max_cost_usd in \.github\/jules\.yml .* JULES_MAX_COST_USD/);
    assert.equal(error.usage?.costUsd, 0.51);
  });
});

describe("prices and usage", () => {
  it("finds default prices by longest prefix, ignoring vendor prefixes and dates", () => {
    assert.deepEqual(priceFor({}, "openai", "gpt-4o-mini-2024-07-18"), { input: 0.15, output: 0.6 });
    assert.deepEqual(priceFor({}, "openai", "gpt-4o-2024-08-06"), { input: 2.5, output: 10 });
    assert.deepEqual(priceFor({}, "openai-compatible", "anthropic/claude-sonnet-4"), { input: 3, output: 15 });
    assert.equal(priceFor({}, "openai-compatible", "llama3.1:8b"), null);
  });

  it("lets the operator override and extend, provider-qualified entries first", () => {
    const table = parsePriceOverride('{"gpt-4o": {"input": 1, "output": 2}, "openai-compatible:llama3": {"input": 0.1, "output": 0.1}}');
    assert.deepEqual(priceFor(table, "openai", "gpt-4o"), { input: 1, output: 2 });
    assert.deepEqual(priceFor(table, "openai-compatible", "llama3.1:8b"), { input: 0.1, output: 0.1 });
    assert.equal(priceFor(table, "openai", "llama3.1:8b"), null);
  });

  it("reads the override from a file and explains bad input", async () => {
    const dir = await mkdtemp(join(tmpdir(), "openjules-prices-"));
    try {
      await writeFile(join(dir, "prices.json"), '{"my-model": {"input": 1, "output": 1}}');
      assert.deepEqual(parsePriceOverride(join(dir, "prices.json")), { "my-model": { input: 1, output: 1 } });
      assert.throws(() => parsePriceOverride(join(dir, "missing.json")), /JULES_PRICES names a file that cannot be read/);
      assert.throws(() => parsePriceOverride("{nope"), /JULES_PRICES is not valid JSON/);
      assert.throws(() => parsePriceOverride('{"m": {"input": -1, "output": 1}}'), /JULES_PRICES must map model names/);
      assert.deepEqual(parsePriceOverride(undefined), {});
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("meters a phase, and the task total including earlier phases", () => {
    const meter = new UsageMeter({ before: usage(1000, 1), price: { input: 2, output: 10 }, model: "m", now: 0 });
    meter.record({ inputTokens: 500_000, outputTokens: 100_000 });
    meter.record({ inputTokens: 500_000, outputTokens: 0 });
    assert.deepEqual(meter.snapshot(250), { inputTokens: 1_000_000, outputTokens: 100_000, calls: 2, wallMs: 250, costUsd: 3 });
    assert.deepEqual(meter.taskTotal(250), { inputTokens: 1_001_000, outputTokens: 100_000, calls: 3, wallMs: 250, costUsd: 4 });
    assert.equal(meter.note, null);
  });

  it("counts an unknown model's cost as 0, with a note", () => {
    const meter = new UsageMeter({ before: null, price: null, model: "llama3" });
    meter.record({ inputTokens: 10, outputTokens: 10 });
    assert.equal(meter.snapshot().costUsd, 0);
    assert.match(meter.note ?? "", /no price is known for llama3.*JULES_PRICES/);
  });
});
