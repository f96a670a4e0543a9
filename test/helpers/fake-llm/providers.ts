import { AnthropicProvider } from "../../../src/agent/providers/anthropic.ts";
import { OpenAIProvider } from "../../../src/agent/providers/openai.ts";
import type { ModelProvider } from "../../../src/agent/providers/provider.ts";
import type { RetryPolicy } from "../../../src/agent/providers/retry.ts";
import type { FakeLlm, WireFormat } from "./server.ts";

/**
 * Real SDK providers pointed at a fake model server, with retries fast enough
 * for tests (same policy shape as production, millisecond delays).
 */

export const FAST_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxTotalWaitMs: 5_000 };

export interface FakeProviderOptions {
  timeoutMs?: number;
  contextWindow?: number;
  retry?: Partial<RetryPolicy>;
}

export const FORMATS: WireFormat[] = ["openai", "anthropic"];

export function providerFor(format: WireFormat, llm: FakeLlm, options: FakeProviderOptions = {}): ModelProvider {
  const common = {
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: { ...FAST_RETRY, ...options.retry },
    ...(options.contextWindow ? { contextWindow: options.contextWindow } : {}),
  };
  return format === "openai"
    ? new OpenAIProvider({ ...common, name: "openai", model: "gpt-4o", apiKey: "sk-test-fake-key", baseUrl: llm.openaiBaseUrl })
    : new AnthropicProvider({ ...common, model: "claude-sonnet-4-6", apiKey: "sk-ant-test-fake-key", baseUrl: llm.anthropicBaseUrl });
}
