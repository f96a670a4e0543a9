/**
 * Trims command output to what the agent needs to fix a failure, within a
 * character budget: terminal escapes and progress-bar redraws removed, then,
 * if still too long, the blocks around failure markers (FAIL, Error,
 * Traceback, panic, `not ok`, ...) in their original order, and the last lines
 * (where runners print their summary), with markers for what was left out.
 * Pure.
 */

// CSI (7-bit ESC [ and 8-bit U+009B) with its parameters; OSC, DCS, SOS, PM and APC strings up to BEL or ST
// (or the next escape, or the end of the text, when cut); charset designations (ESC ( B); every other two-character escape.
const ESCAPES = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|(?=\x1b)|$)|\x1b[ -/]+[0-~]|\x1b[0-~]?/g;
// Control characters a terminal acts on but a reader cannot see: C0 except tab, newline and CR (handled below), DEL, C1.
const CONTROLS = /[\x00-\x07\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;
const FAILURE = /\b(FAIL(ED|URE|URES)?|ERROR|Error|AssertionError|Traceback|panic:|not ok|Exception|failed|error\[E\d+\]|E {3})|✗|✖|×|●/;
const BEFORE = 2;
const AFTER = 12;

/** The text a line shows once backspaces have erased what they follow. */
function backspaced(line: string): string {
  if (!line.includes("\b")) return line;
  const out: string[] = [];
  for (const ch of line) {
    if (ch === "\b") out.pop();
    else out.push(ch);
  }
  return out.join("");
}

/**
 * What a terminal would leave on screen, as plain text: every escape sequence
 * removed (colours, cursor moves, erases, titles, hyperlinks), each
 * `\r`-redrawn line (progress bars, spinners) reduced to its last redraw,
 * backspaces applied, and other invisible control characters dropped. Pure.
 */
export function cleanOutput(output: string): string {
  return output
    .replace(ESCAPES, "")
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((line) => {
      const parts = line.replace(/\r+$/, "").split("\r");
      return backspaced(parts[parts.length - 1] ?? "").replace(CONTROLS, "");
    })
    .join("\n");
}

const omitted = (n: number) => `… (${n} line${n === 1 ? "" : "s"} omitted) …`;

export function trimOutput(output: string, maxChars = 8000): string {
  const clean = cleanOutput(output)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
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
