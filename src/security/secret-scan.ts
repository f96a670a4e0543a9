import { findSecretSpans } from "./secret-matcher.ts";
import { textViews } from "./text-views.ts";

/**
 * The outbound secret scan: what would be pushed (file contents as committed,
 * commit objects) and every text posted to GitHub is scanned. Findings say
 * which rule matched and on which line and never carry the matched text, so a
 * finding can itself be posted or logged safely. A file is scanned against
 * its version on the base: a value it already held is not a new leak.
 */

export interface SecretFinding {
  rule: string;
  /** 1-based line number. */
  line: number;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function scanForSecrets(text: string, extra: readonly string[] = []): SecretFinding[] {
  return findingsIn([text], extra, []);
}

/** What a file's bytes look like ("UTF-16LE", "binary"; null for text) and the secrets found in any reading of them. */
export interface BytesScan {
  label: string | null;
  findings: SecretFinding[];
}

/**
 * Scans a file's bytes in every reading a person or tool would decode them in
 * (UTF-8, and UTF-16/32 when the bytes hold NULs: see text-views.ts). A
 * match whose exact text the file already held in `before` (the same path on
 * the base branch) is not reported: it is already on GitHub, and a change
 * that only keeps it leaks nothing new.
 */
export function scanBytes(bytes: Uint8Array, extra: readonly string[] = [], before: Uint8Array | null = null): BytesScan {
  const views = textViews(bytes);
  return { label: views.label, findings: findingsIn(views.texts, extra, before ? textViews(before).texts : []) };
}

function findingsIn(texts: readonly string[], extra: readonly string[], known: readonly string[]): SecretFinding[] {
  const seen = new Set<string>();
  const findings: SecretFinding[] = [];
  for (const text of texts) {
    const starts = lineStarts(text);
    for (const span of findSecretSpans(text, extra)) {
      const value = text.slice(span.start, span.end);
      if (known.some((k) => k.includes(value))) continue;
      const finding = { rule: span.rule, line: lineOf(starts, span.start) };
      const key = `${finding.rule}:${finding.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(finding);
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

/** One line per finding, for a status comment or a log (no secret text). */
export function describeFindings(findings: readonly (SecretFinding & { file?: string })[]): string[] {
  return findings.map((f) => (f.file === undefined ? `line ${f.line}: ${f.rule}` : `${f.file}:${f.line}: ${f.rule}`));
}
