import type { FailStep, ReplyStep } from "./script.ts";

/**
 * Bodies in Anthropic's Messages wire format: a `message` whose content holds
 * `text` and `tool_use` blocks (id, name, input object), `stop_reason`, usage
 * with cache fields, and the `{"type": "error", "error": {type, message}}`
 * error shape.
 */

const inputOf = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw; // not an object: the client sees malformed input, as with a broken model
  }
};

export function anthropicMessage(step: ReplyStep, request: { model?: string }, seq: number, inputTokens: number): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (step.text) content.push({ type: "text", text: step.text, citations: null });
  (step.toolCalls ?? []).forEach((c, i) => {
    content.push({ type: "tool_use", id: c.id ?? `toolu_fake${seq}_${i}`, name: c.name, input: c.raw !== undefined ? inputOf(c.raw) : (c.input ?? {}) });
  });
  const hasTools = (step.toolCalls ?? []).length > 0;
  const stop = step.stop === "max_tokens" ? "max_tokens" : hasTools ? "tool_use" : "end_turn";
  const outputChars = JSON.stringify(content).length;
  return {
    id: `msg_fake${seq}`,
    type: "message",
    role: "assistant",
    model: request.model ?? "claude-fake",
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: {
      input_tokens: step.usage?.input ?? inputTokens,
      output_tokens: step.usage?.output ?? Math.ceil(outputChars / 4) + 1,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: "standard",
    },
  };
}

const TYPES: Record<number, { type: string; message: string }> = {
  400: { type: "invalid_request_error", message: "Invalid request." },
  401: { type: "authentication_error", message: "invalid x-api-key" },
  413: { type: "request_too_large", message: "Request exceeds the maximum allowed number of bytes." },
  429: { type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit." },
  500: { type: "api_error", message: "Internal server error" },
  529: { type: "overloaded_error", message: "Overloaded" },
};

export function anthropicError(step: FailStep, seq: number): Record<string, unknown> {
  const d = TYPES[step.status] ?? TYPES[step.status >= 500 ? 500 : 400]!;
  return { type: "error", error: { type: d.type, message: step.message ?? d.message }, request_id: `req_fake${seq}` };
}
