/**
 * The script a fake model server plays: one step per HTTP request, in order,
 * whichever wire format the request uses. A step is a reply (text and/or tool
 * calls; arguments may be given raw, e.g. deliberately invalid JSON), an HTTP
 * failure in the provider's real error shape, or a dropped connection; any
 * step may be delayed. Builders keep test scripts short.
 */

export interface ScriptedToolCall {
  name: string;
  /** Arguments as an object (serialised by the server). */
  input?: Record<string, unknown>;
  /** Arguments as raw text, sent verbatim (OpenAI) — may be invalid JSON. */
  raw?: string;
  id?: string;
}

export interface ReplyStep {
  kind: "reply";
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /** "max_tokens" answers finish_reason "length" / stop_reason "max_tokens". */
  stop?: "end" | "max_tokens";
  /** Token counts to report; null omits usage (OpenAI format only, like some compatible servers). */
  usage?: { input: number; output: number } | null;
  /** OpenAI format: send tool calls without ids, as some compatible servers do. */
  omitIds?: boolean;
  /** OpenAI format: send function.arguments as a JSON object instead of a string. */
  argsAsObject?: boolean;
  delayMs?: number;
}

export interface FailStep {
  kind: "fail";
  status: number;
  headers?: Record<string, string>;
  /** Error message inside the provider's error body. */
  message?: string;
  /** OpenAI error code (e.g. "context_length_exceeded"). */
  code?: string;
  delayMs?: number;
}

export interface DropStep {
  kind: "drop";
  delayMs?: number;
}

export type Step = ReplyStep | FailStep | DropStep;

export const say = (text: string, extra: Partial<ReplyStep> = {}): ReplyStep => ({ kind: "reply", text, ...extra });

export const call = (name: string, input: Record<string, unknown>, extra: Partial<ReplyStep> = {}): ReplyStep => ({
  kind: "reply",
  toolCalls: [{ name, input }],
  ...extra,
});

export const rawCall = (name: string, raw: string, extra: Partial<ReplyStep> = {}): ReplyStep => ({
  kind: "reply",
  toolCalls: [{ name, raw }],
  ...extra,
});

export const fail = (status: number, extra: Omit<FailStep, "kind" | "status"> = {}): FailStep => ({ kind: "fail", status, ...extra });

export const drop = (extra: Omit<DropStep, "kind"> = {}): DropStep => ({ kind: "drop", ...extra });

export const repeat = <T>(count: number, step: T): T[] => Array.from({ length: count }, () => step);
