/**
 * The one interface every LLM provider implements (OpenAI, Anthropic, any
 * OpenAI-compatible endpoint). The tool loop speaks only this; each provider
 * translates it to and from its SDK's wire format.
 */

/** JSON Schema of a tool's arguments (generated from the tool's zod schema). */
export type JsonSchema = Record<string, unknown>;

export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface ToolCall {
  id: string;
  name: string;
  /** Raw argument text as the model produced it; may be invalid JSON. */
  arguments: string;
}

export type ChatMessage =
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls: ToolCall[] }
  | { role: "tool"; toolCallId: string; name: string; content: string; isError: boolean };

export interface ModelRequest {
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  maxOutputTokens: number;
  signal?: AbortSignal;
}

export interface ModelResponse {
  text: string;
  toolCalls: ToolCall[];
  stopReason: "tool_use" | "end" | "max_tokens";
  usage: { inputTokens: number; outputTokens: number };
}

export type ProviderErrorKind = "rate_limit" | "server" | "timeout" | "connection" | "context_overflow" | "auth" | "bad_request";

/** A provider failure after its own retries, classified so the loop can react. */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  constructor(kind: ProviderErrorKind, message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProviderError";
    this.kind = kind;
    this.status = status;
  }
}

export interface ModelProvider {
  readonly name: "openai" | "anthropic" | "openai-compatible";
  readonly model: string;
  /** Context window in tokens, used to trim old tool output before overflow. */
  readonly contextWindow: number;
  complete(request: ModelRequest): Promise<ModelResponse>;
}
