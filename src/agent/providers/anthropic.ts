import Anthropic from "@anthropic-ai/sdk";
import { fromAnthropicResponse, toAnthropicRequest } from "./anthropic-wire.ts";
import { classifyFailure } from "./classify.ts";
import { contextWindowFor } from "./context-window.ts";
import type { ModelProvider, ModelRequest, ModelResponse } from "./provider.ts";
import { type Classified, DEFAULT_RETRY, type RetryPolicy, withRetry } from "./retry.ts";
import { errorMessage } from "../../domain/error-message.ts";

/**
 * Anthropic Messages with tool use, through the official SDK. SDK retries are
 * off (retry.ts does them); "prompt is too long" answers are classified as
 * context overflow so the loop can trim and try again.
 */

export interface AnthropicProviderOptions {
  model: string;
  apiKey: string;
  baseUrl?: string | undefined;
  timeoutMs: number;
  contextWindow?: number;
  retry?: Partial<RetryPolicy>;
}

export class AnthropicProvider implements ModelProvider {
  readonly name = "anthropic" as const;
  readonly model: string;
  readonly contextWindow: number;
  readonly #client: Anthropic;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model;
    this.contextWindow = options.contextWindow ?? contextWindowFor(options.model);
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#timeoutMs = options.timeoutMs;
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      authToken: null,
      baseURL: options.baseUrl ?? "https://api.anthropic.com",
      maxRetries: 0,
      timeout: options.timeoutMs,
    });
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    const params = toAnthropicRequest(this.model, request);
    const message = await withRetry(
      () => this.#client.messages.create(params, { timeout: this.#timeoutMs, ...(request.signal ? { signal: request.signal } : {}) }),
      (error) => this.#classify(error),
      this.#retry,
      request.signal,
    );
    return fromAnthropicResponse(message);
  }

  #classify(error: unknown): Classified {
    const label = "Anthropic";
    if (error instanceof Anthropic.APIConnectionTimeoutError) return classifyFailure(label, { message: error.message, timeout: true, cause: error });
    if (error instanceof Anthropic.APIConnectionError) return classifyFailure(label, { message: error.message, connection: true, cause: error });
    if (error instanceof Anthropic.APIError) {
      return classifyFailure(label, { status: error.status, headers: error.headers, code: error.errorCode, message: error.message, cause: error });
    }
    return classifyFailure(label, { message: errorMessage(error), connection: true, cause: error });
  }
}
