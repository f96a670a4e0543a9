import type { FailStep, ReplyStep } from "./script.ts";

/**
 * Bodies in OpenAI's Chat Completions wire format: a `chat.completion` with
 * `choices[0].message.tool_calls[].function.arguments` as a string, and the
 * `{"error": {message, type, param, code}}` error shape.
 */

export function openaiCompletion(step: ReplyStep, request: { model?: string }, seq: number, inputTokens: number): Record<string, unknown> {
  const toolCalls = (step.toolCalls ?? []).map((c, i) => {
    const args = c.raw ?? JSON.stringify(c.input ?? {});
    return {
      ...(step.omitIds ? {} : { id: c.id ?? `call_fake${seq}_${i}` }),
      type: "function",
      function: { name: c.name, arguments: step.argsAsObject ? (c.input ?? {}) : args },
    };
  });
  const text = step.text ?? null;
  const finish = step.stop === "max_tokens" ? "length" : toolCalls.length > 0 ? "tool_calls" : "stop";
  const outputChars = (text ?? "").length + toolCalls.reduce((n, c) => n + JSON.stringify(c.function).length, 0);
  const usage =
    step.usage === null
      ? {}
      : {
          usage: {
            prompt_tokens: step.usage?.input ?? inputTokens,
            completion_tokens: step.usage?.output ?? Math.ceil(outputChars / 4) + 1,
            total_tokens: (step.usage?.input ?? inputTokens) + (step.usage?.output ?? Math.ceil(outputChars / 4) + 1),
          },
        };
  return {
    id: `chatcmpl-fake${seq}`,
    object: "chat.completion",
    created: 1_700_000_000 + seq,
    model: request.model ?? "fake-model",
    system_fingerprint: "fp_fake",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: finish,
      },
    ],
    ...usage,
  };
}

const DEFAULTS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided: sk-fake***1234." },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests. Please try again later." },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request. Sorry about that!" },
  503: { type: "server_error", code: null, message: "The engine is currently overloaded, please try again later." },
};

export function openaiError(step: FailStep): Record<string, unknown> {
  const d = DEFAULTS[step.status] ?? DEFAULTS[step.status >= 500 ? 500 : 400]!;
  return { error: { message: step.message ?? d.message, type: d.type, param: null, code: step.code ?? d.code } };
}
