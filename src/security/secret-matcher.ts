import { EXTRA_SECRET_RULE, MIN_EXTRA_SECRET_LENGTH, SECRET_PATTERNS, type SecretPattern } from "./secret-patterns.ts";

/**
 * Finds where secrets sit in a text: every match of the known patterns plus
 * every occurrence of a configured value (raw and URL-encoded), as
 * non-overlapping spans sorted by position. Shared by redaction (which
 * replaces the spans) and the outbound scan (which reports their rule and
 * line, never their text).
 */

export interface SecretSpan {
  rule: string;
  start: number;
  end: number;
}

function patternSpans(text: string, pattern: SecretPattern): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const group = pattern.group ?? 0;
  for (const match of text.matchAll(pattern.regex)) {
    const range = match.indices?.[group];
    const secret = match[group];
    if (!range || secret === undefined || secret === "") continue;
    if (pattern.validate && !pattern.validate(secret)) continue;
    spans.push({ rule: pattern.rule, start: range[0], end: range[1] });
  }
  return spans;
}

function extraSpans(text: string, extra: readonly string[]): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const needles = new Set<string>();
  for (const value of extra) {
    if (typeof value !== "string" || value.length < MIN_EXTRA_SECRET_LENGTH) continue;
    needles.add(value);
    needles.add(encodeURIComponent(value));
  }
  for (const needle of needles) {
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
      spans.push({ rule: EXTRA_SECRET_RULE, start: at, end: at + needle.length });
    }
  }
  return spans;
}

/**
 * Non-overlapping secret spans sorted by position. Candidates are taken in
 * priority order (configured values, then the patterns in order); a candidate
 * overlapping spans already taken is merged into the first of them, which keeps
 * its rule and grows to cover the union, so no part of any match is left out.
 */
export function findSecretSpans(text: string, extra: readonly string[] = []): SecretSpan[] {
  const candidates = [extraSpans(text, extra), ...SECRET_PATTERNS.map((p) => patternSpans(text, p))].flat();
  let taken: SecretSpan[] = [];
  for (const span of candidates) {
    const overlapping = taken.filter((t) => span.start < t.end && t.start < span.end);
    const [keep, ...rest] = overlapping;
    if (!keep) {
      taken.push({ ...span });
      continue;
    }
    for (const other of [span, ...rest]) {
      keep.start = Math.min(keep.start, other.start);
      keep.end = Math.max(keep.end, other.end);
    }
    if (rest.length > 0) taken = taken.filter((t) => !rest.includes(t));
  }
  return taken.sort((a, b) => a.start - b.start);
}
