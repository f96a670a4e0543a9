import type OpenAI from "openai";
import type { ChatMessage, ModelRequest, ModelResponse, ToolCall } from "./provider.ts";

/**
 * Translation between the provider-neutral conversation and OpenAI Chat
 * Completions, tolerant of what OpenAI-compatible servers really send back:
 * missing `usage` (Ollama, some LiteLLM routes: estimated at 4 characters per
 * token), missing or empty tool call ids (Gemini, older Ollama: synthesised),
 * `function.arguments` as an object instead of a JSON string (some LiteLLM and
 * vLLM parsers: re-serialised) or as "" for argument-less calls, content as
 * an array of parts, and `finish_reason: "stop"` on a reply that does call
 * tools (Ollama: the tool calls decide). A 200 answer without choices
 * (OpenRouter reports upstream failures as `{"error": {...}}` with status 200)
 * becomes an EmptyCompletionError, retried like a 502.
 */

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** History must hold valid JSON arguments: several compatible servers parse them and 400 otherwise. */
export const jsonOrEmpty = (text: string): string => {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? text : "{}";
  } catch {
    return "{}";
  }
};

function toMessage(message: ChatMessage): Message {
  switch (message.role) {
    case "user":
      return { role: "user", content: message.content };
    case "assistant":
      return message.toolCalls.length === 0
        ? { role: "assistant", content: message.content }
        : {
            role: "assistant",
            content: message.content === "" ? null : message.content,
            tool_calls: message.toolCalls.map((call) => ({
              id: call.id,
              type: "function" as const,
              function: { name: call.name, arguments: jsonOrEmpty(call.arguments) },
            })),
          };
    case "tool":
      return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
  }
}

export function toOpenAIRequest(model: string, request: ModelRequest, compatible: boolean): Params {
  const params: Params = {
    model,
    messages: [{ role: "system", content: request.system }, ...request.messages.map(toMessage)],
    ...(compatible ? { max_tokens: request.maxOutputTokens } : { max_completion_tokens: request.maxOutputTokens }),
  };
  if (request.tools.length > 0) {
    params.tools = request.tools.map((tool) => ({
      type: "function" as const,
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  }
  return params;
}

export class EmptyCompletionError extends Error {
  constructor(detail: string) {
    super(`the server answered without any choice${detail ? `: ${detail}` : ""}`);
    this.name = "EmptyCompletionError";
  }
}

/** Throws EmptyCompletionError when a 200 answer carries no choice. */
export function assertHasChoice(completion: LooseCompletion & { error?: { message?: string } }): void {
  if (completion.choices && completion.choices.length > 0) return;
  throw new EmptyCompletionError(completion.error?.message ?? "");
}

/** What the loop reads from a completion, typed loosely: compatible servers deviate from the schema. */
export interface LooseCompletion {
  choices?: { message?: { content?: unknown; tool_calls?: LooseToolCall[] | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}
interface LooseToolCall {
  id?: string | null;
  function?: { name?: string; arguments?: unknown };
}

const textOf = (content: unknown): string => {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
  return "";
};

const argumentsOf = (raw: unknown): string => {
  if (typeof raw === "string") return raw.trim() === "" ? "{}" : raw;
  if (raw !== null && typeof raw === "object") return JSON.stringify(raw);
  return "{}";
};

export function fromOpenAIResponse(completion: LooseCompletion, estimateInputTokens: () => number, turn: number): ModelResponse {
  const choice = completion.choices?.[0];
  const text = textOf(choice?.message?.content);
  const toolCalls: ToolCall[] = (choice?.message?.tool_calls ?? []).map((call, index) => ({
    id: call.id || `call_${turn}_${index}`,
    name: call.function?.name ?? "",
    arguments: argumentsOf(call.function?.arguments),
  }));
  const stopReason = choice?.finish_reason === "length" ? "max_tokens" : toolCalls.length > 0 ? "tool_use" : "end";
  const usage = completion.usage;
  const outputChars = text.length + toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  return {
    text,
    toolCalls,
    stopReason,
    usage: {
      inputTokens: usage?.prompt_tokens ?? estimateInputTokens(),
      outputTokens: usage?.completion_tokens ?? Math.ceil(outputChars / 4),
    },
  };
}
