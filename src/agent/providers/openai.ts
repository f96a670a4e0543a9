import OpenAI from "openai";
import { classifyFailure } from "./classify.ts";
import { contextWindowFor } from "./context-window.ts";
import { EmptyCompletionError, assertHasChoice, fromOpenAIResponse, toOpenAIRequest } from "./openai-wire.ts";
import type { ModelProvider, ModelRequest, ModelResponse } from "./provider.ts";
import { type Classified, DEFAULT_RETRY, type RetryPolicy, withRetry } from "./retry.ts";
import { errorMessage } from "../../domain/error-message.ts";

/**
 * OpenAI Chat Completions with function tools, through the official SDK.
 * Chat Completions rather than the Responses API because every
 * OpenAI-compatible server (Ollama, vLLM, LiteLLM, OpenRouter, Gemini)
 * implements it: `openai-compatible` is this same class with a base URL, and
 * sends `max_tokens` (which those servers accept) instead of OpenAI's newer
 * `max_completion_tokens`. SDK retries are off; retry.ts does them.
 */

export interface OpenAIProviderOptions {
  name?: "openai" | "openai-compatible";
  model: string;
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  timeoutMs: number;
  contextWindow?: number;
  retry?: Partial<RetryPolicy>;
}

export class OpenAIProvider implements ModelProvider {
  readonly name: "openai" | "openai-compatible";
  readonly model: string;
  readonly contextWindow: number;
  readonly #client: OpenAI;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #label: string;
  #calls = 0;

  constructor(options: OpenAIProviderOptions) {
    this.name = options.name ?? "openai";
    this.model = options.model;
    this.contextWindow = options.contextWindow ?? contextWindowFor(options.model);
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#timeoutMs = options.timeoutMs;
    const baseURL = options.baseUrl ?? "https://api.openai.com/v1";
    this.#label = this.name === "openai" ? "OpenAI" : `the model server at ${new URL(baseURL).host}`;
    // Local servers (Ollama, vLLM) need no key, but the SDK insists on one.
    this.#client = new OpenAI({ apiKey: options.apiKey ?? "no-key", baseURL, maxRetries: 0, timeout: options.timeoutMs });
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    const params = toOpenAIRequest(this.model, request, this.name === "openai-compatible");
    const turn = ++this.#calls;
    const completion = await withRetry(
      async () => {
        const options = { timeout: this.#timeoutMs, ...(request.signal ? { signal: request.signal } : {}) };
        const completion = await this.#client.chat.completions.create(params, options);
        assertHasChoice(completion);
        return completion;
      },
      (error) => this.#classify(error),
      this.#retry,
      request.signal,
    );
    return fromOpenAIResponse(completion, () => Math.ceil(JSON.stringify(params).length / 4), turn);
  }

  #classify(error: unknown): Classified {
    if (error instanceof EmptyCompletionError) return classifyFailure(this.#label, { status: 502, message: error.message, cause: error });
    if (error instanceof OpenAI.APIConnectionTimeoutError) return classifyFailure(this.#label, { message: error.message, timeout: true, cause: error });
    if (error instanceof OpenAI.APIConnectionError) return classifyFailure(this.#label, { message: error.message, connection: true, cause: error });
    if (error instanceof OpenAI.APIError) {
      return classifyFailure(this.#label, { status: error.status, headers: error.headers, code: error.code, message: error.message, cause: error });
    }
    return classifyFailure(this.#label, { message: errorMessage(error), connection: true, cause: error });
  }
}
