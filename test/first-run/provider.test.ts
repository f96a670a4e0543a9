import { describe, expect, it } from "vitest";
import { providerUpdates } from "../../src/first-run/provider.ts";

const form = (f: Partial<{ provider: string; model: string; apiKey: string; baseUrl: string }>) => providerUpdates({ provider: "", model: "", apiKey: "", baseUrl: "", ...f });

describe("the provider step", () => {
  it("turns each provider into the .env lines start-up reads", () => {
    expect(form({ provider: "openai", model: "gpt-4.1", apiKey: " sk-test-1 " })).toEqual({
      ok: true,
      updates: { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4.1", OPENAI_API_KEY: "sk-test-1" },
    });
    expect(form({ provider: "anthropic", model: "claude-sonnet-4-6", apiKey: "sk-ant-x" })).toEqual({
      ok: true,
      updates: { JULES_PROVIDER: "anthropic", JULES_MODEL: "claude-sonnet-4-6", ANTHROPIC_API_KEY: "sk-ant-x" },
    });
    expect(form({ provider: "openai-compatible", model: "llama3.1:8b", baseUrl: "http://localhost:11434/v1/" })).toEqual({
      ok: true,
      updates: { JULES_PROVIDER: "openai-compatible", JULES_MODEL: "llama3.1:8b", OPENAI_BASE_URL: "http://localhost:11434/v1" },
    });
    expect(form({ provider: "none", model: "ignored", apiKey: "ignored" })).toEqual({ ok: true, updates: { JULES_PROVIDER: "none" } });
  });

  it("names what is missing or malformed, never echoing the key", () => {
    const r = form({ provider: "openai", model: "gpt 4", apiKey: "" });
    expect(r).toEqual({ ok: false, problems: [expect.stringMatching(/^Model:/), "API key: OpenAI needs one."] });
    expect(form({ provider: "openai-compatible", model: "m" })).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^Base URL: an OpenAI-compatible endpoint needs its address/)],
    });
    expect(form({ provider: "openai", model: "m", apiKey: "sk", baseUrl: "javascript:alert(1)" })).toEqual({ ok: false, problems: [expect.stringMatching(/^Base URL: an http/)] });
    const spaced = form({ provider: "anthropic", model: "m", apiKey: "secret with spaces" });
    expect(spaced).toEqual({ ok: false, problems: ["API key: paste the key alone, without spaces or line breaks."] });
    expect(JSON.stringify(spaced)).not.toContain("secret with spaces");
    expect(form({ provider: "gemini" })).toEqual({ ok: false, problems: [expect.stringMatching(/^Choose a provider/)] });
  });
});
