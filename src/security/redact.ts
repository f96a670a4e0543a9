import { findSecretSpans } from "./secret-matcher.ts";

/**
 * Redaction: replaces every secret in a text (known token shapes, private
 * keys, credentials in headers and URLs, and any configured value such as the
 * installation token or the app's own secrets) with `[REDACTED:<rule>]`,
 * keeping the surrounding text (`Authorization: Bearer [REDACTED:...]`) so a
 * transcript or log stays readable. Used on transcripts, logs and anything
 * shown to people, and on every request to GitHub (github/outbound-scan.ts);
 * the push scan (secret-scan.ts) is the gate that blocks.
 */

export function redactSecrets(text: string, extra: readonly string[] = []): string {
  return redactFound(text, extra).text;
}

/** The redacted text and the rules that matched (one entry per replaced span), for callers that log what was hidden. */
export function redactFound(text: string, extra: readonly string[] = []): { text: string; rules: string[] } {
  const spans = findSecretSpans(text, extra);
  if (spans.length === 0) return { text, rules: [] };
  let out = "";
  let at = 0;
  for (const span of spans) {
    out += `${text.slice(at, span.start)}[REDACTED:${span.rule}]`;
    at = span.end;
  }
  return { text: out + text.slice(at), rules: spans.map((s) => s.rule) };
}

/** `value` with every string in it redacted (objects and arrays walked, other values kept): an event, a failure. */
export function redactDeep<T>(value: T, extra: readonly string[] = []): T {
  if (typeof value === "string") return redactSecrets(value, extra) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, extra)) as T;
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, extra)])) as T;
  return value;
}
