/**
 * The failing tests in a test run's output, for the person reading the
 * status, the pull request and the check run: each failing test's name and
 * its assertion message, for the runners whose output can be recognised
 * (node:test in its spec and TAP reporters and other TAP producers, mocha,
 * jest, vitest, pytest, go test, cargo test). Input is cleaned output
 * (cleanOutput); null when no runner's failure format is found, and the
 * caller shows the tail instead. Pure; linear in the output.
 */

export interface FailingTest {
  name: string;
  /** The assertion message, at most a few lines; "" when the runner printed none. */
  message: string;
}

export interface FailingTests {
  runner: string;
  failures: FailingTest[];
  /** The runner's own count lines ("Tests: 2 failed, 3 passed, 5 total"), trimmed; may be empty. */
  counts: string[];
}

const MAX_MESSAGE_LINES = 6;
const MAX_LINE = 300;

const cut = (line: string) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line);

/** The first non-empty lines of a message, stripped of their indentation. */
function message(lines: readonly string[]): string {
  return lines
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .slice(0, MAX_MESSAGE_LINES)
    .map(cut)
    .join("\n");
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** Lines after `start` until `stop` says so (exclusive), at most `max`. */
function until(lines: readonly string[], start: number, stop: (line: string, i: number) => boolean, max = 40): string[] {
  const out: string[] = [];
  for (let i = start; i < lines.length && out.length < max; i++) {
    if (stop(lines[i]!, i)) break;
    out.push(lines[i]!);
  }
  return out;
}

const STACK = /^\s*at\s|^\s*❯\s|^\s*>?\s*\d+\s*\|/;

/** node:test, spec reporter: the "✖ failing tests:" section at the end. */
function nodeSpec(lines: readonly string[]): FailingTest[] | null {
  const section = lines.findIndex((l) => l.trim() === "✖ failing tests:");
  if (section < 0) return null;
  const failures: FailingTest[] = [];
  for (let i = section + 1; i < lines.length; i++) {
    const head = /^(\s*)✖ (.+?)(?: \([\d.]+m?s\))?$/.exec(lines[i]!);
    if (!head) continue;
    const depth = head[1]!.length;
    const body = until(lines, i + 1, (l) => (l.trim() !== "" && indentOf(l) <= depth) || STACK.test(l) || /^\s*\{$/.test(l));
    failures.push({ name: head[2]!, message: message(body) });
  }
  return failures;
}

/** TAP (node:test's tap reporter, tape, node-tap): `not ok` lines with their YAML block; suites failed by a subtest are left out. */
function tap(lines: readonly string[]): FailingTest[] | null {
  if (!lines.some((l) => /^\s*not ok \d+/.test(l))) return null;
  const failures: FailingTest[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)not ok \d+(?: -)?(.*)$/.exec(lines[i]!);
    if (!head || /\s#\s*(TODO|SKIP)\b/i.test(head[2]!)) continue;
    const depth = head[1]!.length;
    const yaml = lines[i + 1]?.trim() === "---" ? until(lines, i + 2, (l) => l.trim() === "..." && indentOf(l) <= depth + 2, 200) : [];
    const field = (name: string) => yaml.findIndex((l) => new RegExp(`^\\s*${name}:`).test(l));
    if (yaml.some((l) => /^\s*failureType: 'subtestsFailed'/.test(l))) continue;
    let text = "";
    const at = ["error", "message"].map(field).find((n) => n >= 0);
    if (at !== undefined) {
      const value = yaml[at]!.replace(/^\s*\w+:\s*/, "");
      if (/^[|>]-?$/.test(value)) {
        const base = indentOf(yaml[at]!);
        text = message(until(yaml, at + 1, (l) => l.trim() !== "" && indentOf(l) <= base));
      } else text = value.replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
    }
    const pair = ["expected", "actual"].map((name) => yaml[field(name)]?.trim()).filter((l): l is string => l !== undefined);
    if (pair.length === 2 && !text.includes("!==")) text = [text, ...pair].filter(Boolean).join("\n");
    failures.push({ name: head[2]!.trim() || `line ${i + 1}`, message: message(text.split("\n")) });
  }
  return failures;
}

/** mocha's spec reporter: "N failing", then "  1) Suite\n       test:" and the error. */
function mocha(lines: readonly string[]): FailingTest[] | null {
  const start = lines.findIndex((l) => /^\s+\d+ failing$/.test(l));
  if (start < 0) return null;
  const failures: FailingTest[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const head = /^(\s+)\d+\) (.*)$/.exec(lines[i]!);
    if (!head) continue;
    const parts = [head[2]!];
    let j = i;
    while (!parts.at(-1)!.endsWith(":") && j + 1 < lines.length && lines[j + 1]!.trim() !== "") parts.push(lines[++j]!.trim());
    const body = until(lines, j + 1, (l) => STACK.test(l) || /^\s+\d+\) /.test(l) || /^\s*\+ expected - actual/.test(l));
    failures.push({ name: parts.join(" ").replace(/:$/, ""), message: message(body) });
    i = j;
  }
  return failures;
}

/** jest: "  ● Suite › test" headers, the message up to the code frame. */
function jest(lines: readonly string[]): FailingTest[] | null {
  if (!lines.some((l) => /^Tests:\s+\d+ failed/.test(l) || /^FAIL\s/.test(l))) return null;
  const failures: FailingTest[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^ {2}● (.+)$/.exec(lines[i]!);
    if (!head) continue;
    const body = until(lines, i + 1, (l) => STACK.test(l) || /^ {2}● /.test(l) || /^(PASS|FAIL)\s/.test(l) || /^Test Suites:/.test(l));
    failures.push({ name: head[1]!, message: message(body) });
  }
  return failures.length > 0 ? failures : null;
}

/**
 * vitest: " FAIL  file > suite > test" then the error line. Headers in a row
 * share the error after the last (vitest groups tests that failed the same
 * way, and prints a retried test's header once per run): each test once.
 */
function vitest(lines: readonly string[]): FailingTest[] | null {
  if (!lines.some((l) => /^\s*Test Files\s+\d+ failed/.test(l) || /⎯ Failed Tests \d+ ⎯/.test(l))) return null;
  const failures = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const names: string[] = [];
    for (let head = /^ FAIL {2}(.+)$/.exec(lines[i]!); head; head = /^ FAIL {2}(.+)$/.exec(lines[++i] ?? "")) names.push(head[1]!);
    if (names.length === 0) continue;
    const body = message(until(lines, i, (l) => STACK.test(l) || /^ FAIL {2}/.test(l) || /^⎯/.test(l) || /^[-+] Expected$/.test(l)));
    for (const name of names) if (!failures.get(name)) failures.set(name, body);
    i--;
  }
  return failures.size > 0 ? [...failures].map(([name, text]) => ({ name, message: text })) : null;
}

/** pytest: the "short test summary info" lines (`FAILED id - message`), else the `___ name ___` sections' `E` lines. */
function pytest(lines: readonly string[]): FailingTest[] | null {
  const summary = lines.findIndex((l) => /^=+ short test summary info =+$/.test(l));
  if (summary >= 0) {
    const failures: FailingTest[] = [];
    for (const line of until(lines, summary + 1, (l) => /^=+ .* =+$/.test(l), 10_000)) {
      const m = /^(FAILED|ERROR) (\S+)(?: - (.*))?$/.exec(line);
      if (m) failures.push({ name: m[1] === "ERROR" ? `${m[2]} (error)` : m[2]!, message: cut(m[3] ?? "") });
    }
    return failures;
  }
  const section = lines.findIndex((l) => /^=+ (FAILURES|ERRORS) =+$/.test(l));
  if (section < 0) return null;
  const failures: FailingTest[] = [];
  for (let i = section + 1; i < lines.length; i++) {
    const head = /^_{3,} (.+?) _{3,}$/.exec(lines[i]!);
    if (!head) continue;
    const body = until(lines, i + 1, (l) => /^_{3,} .+ _{3,}$/.test(l) || /^=+ .* =+$/.test(l), 10_000);
    failures.push({ name: head[1]!, message: message(body.filter((l) => /^E\s/.test(l)).map((l) => l.slice(1))) });
  }
  return failures;
}

/** go test: `--- FAIL: Name (0.00s)` with the log lines under it (or, with -v, above it after `=== RUN   Name`). */
function goTest(lines: readonly string[]): FailingTest[] | null {
  if (!lines.some((l) => /^\s*--- FAIL: /.test(l))) return null;
  const runs = new Map<string, number>();
  lines.forEach((l, i) => {
    const run = /^=== RUN {3}(\S+)$/.exec(l);
    if (run && !runs.has(run[1]!)) runs.set(run[1]!, i);
  });
  const found: FailingTest[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)--- FAIL: (\S+) \(/.exec(lines[i]!);
    if (!head) continue;
    const depth = head[1]!.length;
    let body = until(lines, i + 1, (l) => indentOf(l) <= depth || /^\s*(---|===) /.test(l));
    if (body.length === 0) {
      const run = runs.get(head[2]!);
      if (run !== undefined) body = until(lines, run + 1, (l) => /^\s*(---|===) /.test(l) || /^(FAIL|ok|PASS)\b/.test(l));
    }
    found.push({ name: head[2]!, message: message(body) });
  }
  // A parent whose only failure is its subtests' says nothing of its own.
  const parents = new Set(found.map((f) => f.name.slice(0, Math.max(0, f.name.lastIndexOf("/")))));
  return found.filter((f) => f.message !== "" || !parents.has(f.name));
}

/** cargo test: `---- name stdout ----` sections, the panic message and where. */
function cargo(lines: readonly string[]): FailingTest[] | null {
  if (!lines.some((l) => /^---- .+ stdout ----$/.test(l))) return null;
  const failures: FailingTest[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^---- (.+) stdout ----$/.exec(lines[i]!);
    if (!head) continue;
    const section = until(lines, i + 1, (l) => /^---- .+ stdout ----$/.test(l) || /^failures:$/.test(l), 10_000);
    const panic = section.findIndex((l) => /panicked at /.test(l));
    if (panic < 0) {
      failures.push({ name: head[1]!, message: message(section) });
      continue;
    }
    const where = /panicked at (.+?):?$/.exec(section[panic]!)?.[1];
    const body = until(section, panic + 1, (l) => /^(stack backtrace:|note: )/.test(l));
    failures.push({ name: head[1]!, message: message([...body, ...(where ? [`at ${where}`] : [])]) });
  }
  return failures;
}

/** Each runner's parser, and the lines where it prints its counts (shown under the failures). */
const RUNNERS: [string, (lines: readonly string[]) => FailingTest[] | null, RegExp][] = [
  ["node:test", nodeSpec, /^ℹ (tests|pass|fail|cancelled) \d+$/],
  ["vitest", vitest, /^\s*(Test Files|Tests) {2}\d/],
  ["jest", jest, /^(Test Suites|Tests):\s/],
  ["mocha", mocha, /^\s+\d+ (passing|failing|pending)\b/],
  ["pytest", pytest, /^=+ .*\b\d+ (failed|passed|errors?)\b.* =+$/],
  ["cargo test", cargo, /^test result: /],
  ["go test", goTest, /^(FAIL|ok)\s+\S+\s+(\d[\d.]*s|\[.*\])$/],
  ["TAP", tap, /^# (tests|pass|fail) \d+$/],
];

export function failingTests(output: string): FailingTests | null {
  const lines = output.split("\n");
  for (const [runner, parse, counts] of RUNNERS) {
    const failures = parse(lines);
    if (failures && failures.length > 0)
      return {
        runner,
        failures,
        counts: lines
          .filter((l) => counts.test(l))
          .slice(-10)
          .map((l) => cut(l.trim())),
      };
  }
  return null;
}
