import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { evalPrices } from "../../eval/instance.ts";
import { parseAgents, parseModels } from "../../eval/models.ts";
import { DEFAULT_PRICES, priceFor, parsePriceOverride } from "../../src/agent/prices.ts";

/** `--models` and `--agents` against the configured providers, and the price table scripted models are billed at. */

describe("--models", () => {
  const keys = { OPENAI_API_KEY: "sk-x", ANTHROPIC_API_KEY: "sk-ant-x" };

  it("turns provider:model pairs into the settings that choose them", () => {
    const specs = parseModels("openai:gpt-4o, anthropic:claude-sonnet-4-6,scripted:solve,scripted:wrong", keys);
    assert.deepEqual(
      specs.map((s) => [s.label, s.env, s.scripted]),
      [
        ["openai:gpt-4o", { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o" }, null],
        ["anthropic:claude-sonnet-4-6", { JULES_PROVIDER: "anthropic", JULES_MODEL: "claude-sonnet-4-6" }, null],
        ["scripted:solve", { JULES_PROVIDER: "openai-compatible", JULES_MODEL: "scripted-solve" }, "solve"],
        ["scripted:wrong", { JULES_PROVIDER: "openai-compatible", JULES_MODEL: "scripted-wrong" }, "wrong"],
      ],
    );
  });

  it("defaults to the configured model; a bare model takes JULES_PROVIDER", () => {
    assert.equal(parseModels(undefined, { ...keys, JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4.1" })[0]?.label, "openai:gpt-4.1");
    assert.equal(parseModels("gpt-4o-mini", { ...keys, JULES_PROVIDER: "openai" })[0]?.label, "openai:gpt-4o-mini");
  });

  it("says what is missing", () => {
    assert.throws(() => parseModels(undefined, {}), /No model to evaluate: pass --models/);
    assert.throws(() => parseModels("openai:gpt-4o", {}), /openai:gpt-4o needs OPENAI_API_KEY/);
    assert.throws(() => parseModels("openai-compatible:llama3", keys), /needs OPENAI_BASE_URL/);
    assert.throws(() => parseModels("mistral:large", keys), /unknown provider "mistral"/);
    assert.throws(() => parseModels("scripted:maybe", keys), /scripted models are scripted:solve and scripted:wrong/);
    assert.throws(() => parseModels("gpt-4o", keys), /has no provider/);
    assert.throws(() => parseModels("scripted:solve,scripted:solve", keys), /given twice/);
  });
});

describe("--agents", () => {
  it("is builtin by default; an external agent needs JULES_AGENTS", () => {
    assert.deepEqual(parseAgents(undefined, {}), ["builtin"]);
    assert.deepEqual(parseAgents("builtin,claude-code", { JULES_AGENTS: "agents.json" }), ["builtin", "claude-code"]);
    assert.throws(() => parseAgents("claude-code", {}), /claude-code is an external agent, and none is defined here: set JULES_AGENTS/);
    assert.throws(() => parseAgents("Claude Code", { JULES_AGENTS: "x" }), /not an agent name/);
  });
});

describe("prices", () => {
  it("bills scripted models at gpt-4o's list price, unless JULES_PRICES prices them; the caller's entries stay", () => {
    const table = parsePriceOverride(evalPrices({ JULES_PRICES: '{"gpt-4o": {"input": 1, "output": 2}}' }));
    assert.deepEqual(priceFor(table, "openai-compatible", "scripted-solve"), DEFAULT_PRICES["gpt-4o"]);
    assert.deepEqual(priceFor(table, "openai", "gpt-4o"), { input: 1, output: 2 });
    const own = parsePriceOverride(evalPrices({ JULES_PRICES: '{"openai-compatible:scripted-": {"input": 0, "output": 0}}' }));
    assert.deepEqual(priceFor(own, "openai-compatible", "scripted-wrong"), { input: 0, output: 0 });
  });
});
