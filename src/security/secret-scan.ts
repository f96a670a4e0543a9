import { findSecretSpans } from "./secret-matcher.ts";
import { addedBlocks } from "./unified-diff.ts";

/**
 * The outbound secret gate: before a branch is pushed, and before a comment or
 * pull request body leaves for GitHub, the text is scanned and any finding
 * blocks it. Findings say which rule matched and where (line, and file for a
 * diff) and never carry the matched text, so a finding can itself be posted
 * or logged safely. A diff is scanned on its added lines only: removing a
 * secret is not leaking it.
 */

export interface SecretFinding {
  rule: string;
  /** 1-based line number (in the new file, for a diff). */
  line: number;
}

export interface DiffSecretFinding extends SecretFinding {
  file: string;
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
  const starts = lineStarts(text);
  const seen = new Set<string>();
  const findings: SecretFinding[] = [];
  for (const span of findSecretSpans(text, extra)) {
    const finding = { rule: span.rule, line: lineOf(starts, span.start) };
    const key = `${finding.rule}:${finding.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

export function scanDiff(unifiedDiff: string, extra: readonly string[] = []): DiffSecretFinding[] {
  return addedBlocks(unifiedDiff).flatMap((block) =>
    scanForSecrets(block.lines.join("\n"), extra).map((f) => ({ file: block.file, rule: f.rule, line: block.startLine + f.line - 1 })),
  );
}

/** One line per finding, for a status comment or a log (no secret text). */
export function describeFindings(findings: readonly (SecretFinding & { file?: string })[]): string[] {
  return findings.map((f) => (f.file === undefined ? `line ${f.line}: ${f.rule}` : `${f.file}:${f.line}: ${f.rule}`));
}
