import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { AgentError } from "../../src/agent/port.ts";
import { chooseModel, createProvider } from "../../src/agent/providers/create-provider.ts";
import type { Settings } from "../../src/settings.ts";

const settings = (over: Partial<Settings["agent"]> = {}): Settings["agent"] => ({
  provider: "openai",
  model: "gpt-4o",
  openai: { apiKey: "sk-x", baseUrl: undefined },
  anthropic: { apiKey: undefined, baseUrl: undefined },
  allowedModels: ["anthropic:claude-sonnet-4-6", "gpt-4.1-mini"],
  caps: { maxTurns: 40, maxTokens: 2_000_000, maxCostUsd: 5, maxMinutes: 30 },
  timeoutMs: 120_000,
  prices: undefined,
  ...over,
});

const refuses = (fn: () => unknown, message: RegExp, hint: RegExp) => assert.throws(fn, (e: unknown) => e instanceof AgentError && message.test(e.message) && hint.test(e.hint));

describe("choosing the model", () => {
  it("uses the operator's choice without an override", () => {
    assert.deepEqual(chooseModel(settings()), { provider: "openai", model: "gpt-4o" });
    assert.deepEqual(chooseModel(settings(), { provider: "openai", model: "gpt-4o" }), { provider: "openai", model: "gpt-4o" });
  });

  it("accepts overrides on the allowlist: provider:model pairs and bare models", () => {
    assert.deepEqual(chooseModel(settings(), { provider: "anthropic", model: "claude-sonnet-4-6" }), { provider: "anthropic", model: "claude-sonnet-4-6" });
    assert.deepEqual(chooseModel(settings(), { model: "gpt-4.1-mini" }), { provider: "openai", model: "gpt-4.1-mini" });
  });

  it("refuses anything else with a hint naming the allowlist", () => {
    refuses(() => chooseModel(settings(), { model: "o1" }), /openai:o1 .* is not allowed/, /allowed: anthropic:claude-sonnet-4-6, gpt-4\.1-mini/);
    refuses(() => chooseModel(settings(), { provider: "openai-compatible", model: "claude-sonnet-4-6" }), /not allowed/, /JULES_ALLOWED_MODELS/);
    refuses(() => chooseModel(settings({ provider: "none", model: undefined })), /No LLM provider is configured/, /JULES_PROVIDER/);
    refuses(() => chooseModel(settings({ provider: "none", model: undefined }), { provider: "anthropic" }), /only part of a model choice/, /Set both/);
  });

  it("refuses an allowed provider the operator has no credentials for", () => {
    refuses(() => createProvider(settings(), { provider: "anthropic", model: "claude-sonnet-4-6" }), /ANTHROPIC_API_KEY is not set/, /operator/);
  });

  it("builds the provider with its name, model and context window", () => {
    const openai = createProvider(settings());
    assert.equal(openai.name, "openai");
    assert.equal(openai.contextWindow, 128_000);
    const local = createProvider(settings({ provider: "openai-compatible", model: "qwen2.5-coder:7b", openai: { apiKey: undefined, baseUrl: "http://localhost:11434/v1" } }));
    assert.equal(local.name, "openai-compatible");
    assert.equal(local.contextWindow, 32_768);
    const claude = createProvider(settings({ provider: "anthropic", model: "claude-opus-4-5", anthropic: { apiKey: "sk-ant-x", baseUrl: undefined } }));
    assert.equal(claude.name, "anthropic");
    assert.equal(claude.contextWindow, 200_000);
  });
});
