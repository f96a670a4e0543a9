import { ProviderError } from "./provider.ts";
import { type Classified, retryAfterMs } from "./retry.ts";

/**
 * Turns a failed model call into a ProviderError kind, the same way for every
 * provider: each provider maps its SDK's error into a FailureInfo and this
 * pure function decides the kind, the message a person reads, and whether a
 * retry may help. Context overflow is recognised by OpenAI's
 * `context_length_exceeded` code, Anthropic's "prompt is too long" and the
 * wording of common compatible servers (vLLM, Ollama, LiteLLM, Gemini).
 */

export interface FailureInfo {
  status?: number | undefined;
  headers?: Headers | undefined;
  code?: string | null | undefined;
  message: string;
  timeout?: boolean;
  connection?: boolean;
  /** The SDK's error, kept as the ProviderError's cause. */
  cause?: unknown;
}

const OVERFLOW =
  /context[_ ]length|context window|maximum context|prompt is too long|too many (input )?tokens|input is too long|exceeds? the (model's )?(maximum|max|context)|reduce the length/i;

export const isContextOverflow = (info: FailureInfo): boolean =>
  info.code === "context_length_exceeded" || ((info.status === 400 || info.status === 413 || info.status === 422) && OVERFLOW.test(info.message));

const brief = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}...` : text);

export function classifyFailure(label: string, info: FailureInfo): Classified {
  const { status } = info;
  const make = (kind: ProviderError["kind"], message: string, retryable: boolean): Classified => ({
    error: new ProviderError(kind, message, status, { cause: info.cause }),
    retryable,
    retryAfterMs: retryable ? retryAfterMs(info.headers) : undefined,
  });
  if (info.timeout || status === 408) return make("timeout", `${label} did not answer in time`, true);
  if (info.connection || status === undefined) return make("connection", `could not reach ${label}: ${brief(info.message)}`, true);
  if (isContextOverflow(info)) return make("context_overflow", `the conversation is too long for the model's context window (${label}: ${brief(info.message)})`, false);
  if (status === 429) {
    if (info.code === "insufficient_quota") return make("rate_limit", `${label} reports the account's quota is exhausted; check billing`, false);
    return make("rate_limit", `${label} is rate limiting requests (HTTP 429)`, true);
  }
  if (status === 409 || status >= 500) return make("server", `${label} had a server error (HTTP ${status}): ${brief(info.message)}`, true);
  // The API's own message is left out: it may echo part of the key.
  if (status === 401 || status === 403) return make("auth", `${label} rejected the API key (HTTP ${status})`, false);
  return make("bad_request", `${label} rejected the request (HTTP ${status}): ${brief(info.message)}`, false);
}
