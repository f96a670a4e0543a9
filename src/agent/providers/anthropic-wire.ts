import type Anthropic from "@anthropic-ai/sdk";
import type { ChatMessage, ModelRequest, ModelResponse, ToolCall } from "./provider.ts";

/**
 * Translation between the provider-neutral conversation and Anthropic
 * Messages: assistant turns become text + `tool_use` blocks, tool results
 * become `tool_result` blocks (with `is_error`) in the following user turn,
 * and consecutive user-side messages are merged into one turn with the tool
 * results first, as the API requires. Usage counts cache reads and writes as
 * input.
 */

type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;
type MessageParam = Anthropic.Messages.MessageParam;
type UserBlock = Anthropic.Messages.ToolResultBlockParam | Anthropic.Messages.TextBlockParam;

const inputOf = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

export function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  let userBlocks: UserBlock[] = [];
  const flushUser = () => {
    if (userBlocks.length > 0) out.push({ role: "user", content: userBlocks });
    userBlocks = [];
  };
  for (const message of messages) {
    if (message.role === "user") {
      userBlocks.push({ type: "text", text: message.content });
    } else if (message.role === "tool") {
      userBlocks.push({ type: "tool_result", tool_use_id: message.toolCallId, content: message.content, ...(message.isError ? { is_error: true } : {}) });
    } else {
      flushUser();
      const content: Anthropic.Messages.ContentBlockParam[] = [];
      if (message.content !== "") content.push({ type: "text", text: message.content });
      for (const call of message.toolCalls) content.push({ type: "tool_use", id: call.id, name: call.name, input: inputOf(call.arguments) });
      if (content.length === 0) content.push({ type: "text", text: "(no reply)" });
      out.push({ role: "assistant", content });
    }
  }
  flushUser();
  return out;
}

export function toAnthropicRequest(model: string, request: ModelRequest): Params {
  return {
    model,
    max_tokens: request.maxOutputTokens,
    system: request.system,
    messages: toAnthropicMessages(request.messages),
    ...(request.tools.length > 0
      ? {
          tools: request.tools.map((tool) => ({
            name: tool.name,
            description: tool.description,
            input_schema: { type: "object" as const, ...tool.parameters },
          })),
        }
      : {}),
  };
}

export function fromAnthropicResponse(message: Anthropic.Messages.Message): ModelResponse {
  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === "text") text += block.text;
    else if (block.type === "tool_use") {
      // A malformed reply can carry the input as raw text: pass it on as is, the loop reports it.
      const args = typeof block.input === "string" ? block.input : JSON.stringify(block.input ?? {});
      toolCalls.push({ id: block.id, name: block.name, arguments: args });
    }
  }
  const reason = message.stop_reason;
  const stopReason = reason === "tool_use" ? "tool_use" : reason === "max_tokens" || reason === "model_context_window_exceeded" ? "max_tokens" : "end";
  const u = message.usage;
  return {
    text,
    toolCalls,
    stopReason: stopReason === "end" && toolCalls.length > 0 ? "tool_use" : stopReason,
    usage: {
      inputTokens: (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0),
      outputTokens: u.output_tokens ?? 0,
    },
  };
}
