/**
 * Trims command output to what the agent needs to fix a failure, within a
 * character budget: terminal escapes and progress-bar redraws removed, then,
 * if still too long, the blocks around failure markers (FAIL, Error,
 * Traceback, panic, `not ok`, ...) in their original order, and the last lines
 * (where runners print their summary), with markers for what was left out.
 * Pure.
 */

const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
const FAILURE = /\b(FAIL(ED|URE|URES)?|ERROR|Error|AssertionError|Traceback|panic:|not ok|Exception|failed|error\[E\d+\]|E {3})|✗|✖|×|●/;
const BEFORE = 2;
const AFTER = 12;

/** Removes ANSI escapes and keeps only the last redraw of `\r`-overwritten lines. */
export function cleanOutput(output: string): string {
  return output
    .replace(ANSI, "")
    .split("\n")
    .map((line) => {
      const parts = line.replace(/\r+$/, "").split("\r");
      return parts[parts.length - 1] ?? "";
    })
    .join("\n");
}

const omitted = (n: number) => `… (${n} line${n === 1 ? "" : "s"} omitted) …`;

export function trimOutput(output: string, maxChars = 8000): string {
  const clean = cleanOutput(output).replace(/\n{3,}/g, "\n\n").trim();
  if (clean.length <= maxChars) return clean;
  const lines = clean.split("\n");

  // The tail: last lines, up to 40% of the budget.
  let tailStart = lines.length;
  let used = 0;
  while (tailStart > 0 && used + (lines[tailStart - 1]?.length ?? 0) + 1 <= maxChars * 0.4) used += (lines[--tailStart]?.length ?? 0) + 1;

  // Failure blocks before the tail, earliest first, while they fit.
  const keep = new Set<number>();
  let budget = maxChars - used - 200;
  for (let i = 0; i < tailStart && budget > 0; i++) {
    if (!FAILURE.test(lines[i] ?? "")) continue;
    for (let j = Math.max(0, i - BEFORE); j <= Math.min(tailStart - 1, i + AFTER); j++) {
      if (keep.has(j)) continue;
      const cost = (lines[j]?.length ?? 0) + 1;
      if (cost > budget) break;
      keep.add(j);
      budget -= cost;
    }
  }

  const out: string[] = [];
  let gap = 0;
  for (let i = 0; i < tailStart; i++) {
    if (keep.has(i)) {
      if (gap > 0) out.push(omitted(gap));
      gap = 0;
      out.push(lines[i] ?? "");
    } else gap++;
  }
  if (gap > 0) out.push(omitted(gap));
  out.push(...lines.slice(tailStart));
  const text = out.join("\n");
  return text.length <= maxChars ? text : `…${text.slice(text.length - maxChars + 1)}`;
}
