import { failingTests, type FailingTests } from "./failing-tests.ts";
import { cleanOutput } from "./trim-output.ts";

/**
 * A command's output as a person should read it in the status comment, the
 * pull request and the check run: cleaned (cleanOutput), then the failing
 * tests with their messages when the runner is recognised (failing-tests.ts)
 * followed by the runner's count lines (or the last lines that are not a stack trace), else the whole output when it fits,
 * else its tail. `shortened` says whether anything was left out (then the
 * caller says where the full output is). Pure.
 */

export interface OutputSummary {
  text: string;
  shortened: boolean;
  /** Lines of the cleaned output. */
  lines: number;
}

const TAIL_LINES = 8;
const MAX_FAILURES = 20;

export function cleanLines(output: string): string[] {
  const clean = cleanOutput(output)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return clean === "" ? [] : clean.split("\n");
}

/** The last lines that fit in `max` characters (at least part of the last one). */
export function tail(lines: readonly string[], max: number, count = Infinity): string[] {
  const out: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0 && out.length < count; i--) {
    const line = lines[i]!;
    if (used + line.length + 1 > max) {
      if (out.length === 0) out.push(`…${line.slice(line.length - max + 1)}`);
      break;
    }
    out.unshift(line);
    used += line.length + 1;
  }
  return out;
}

const omitted = (n: number) => `… (${n} earlier line${n === 1 ? "" : "s"} left out) …`;

function failureText(found: FailingTests, max: number): string {
  const n = found.failures.length;
  const parts = [`${n} failing test${n === 1 ? "" : "s"} (${found.runner}):`];
  let used = parts[0]!.length;
  let shown = 0;
  for (const failure of found.failures.slice(0, MAX_FAILURES)) {
    const entry = `✖ ${failure.name}${failure.message ? `\n${failure.message.replace(/^/gm, "    ")}` : ""}`;
    if (used + entry.length + 1 > max) break;
    parts.push(entry);
    used += entry.length + 1;
    shown++;
  }
  if (shown < n) parts.push(`… and ${n - shown} more failing test${n - shown === 1 ? "" : "s"}`);
  return parts.join("\n");
}

export function summarizeOutput(output: string, maxChars = 3000): OutputSummary {
  const lines = cleanLines(output);
  const whole = lines.join("\n");
  const found = failingTests(whole);
  if (found) {
    const failures = failureText(found, Math.floor(maxChars * 0.7));
    const rest = maxChars - failures.length - 30;
    const counts = found.counts.join("\n");
    if (counts !== "" && counts.length <= rest) return { text: `${failures}\n\n${counts}`, shortened: true, lines: lines.length };
    const last = tail(
      lines.filter((l) => !/^\s+at\s/.test(l)),
      rest,
      TAIL_LINES,
    );
    return { text: `${failures}\n\nLast lines of the output:\n${last.join("\n").trim()}`, shortened: true, lines: lines.length };
  }
  if (whole.length <= maxChars) return { text: whole, shortened: false, lines: lines.length };
  const last = tail(lines, maxChars - 60);
  return { text: `${omitted(lines.length - last.length)}\n${last.join("\n")}`, shortened: true, lines: lines.length };
}
