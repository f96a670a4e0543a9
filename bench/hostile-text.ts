import { mentionsCommand, parseCommand } from "../src/github/commands/parse.ts";
import { sanitizeUntrusted } from "../src/security/sanitize.ts";
import { median, ms } from "./stats.ts";

/**
 * Hostile 65 KB texts (GitHub's comment limit is 65,536 characters): the
 * median time of the command parser (webhook path: mentionsCommand then
 * parseCommand) and of the thread sanitizer on bodies built to make a
 * quadratic scan show (unclosed `<!--` after a command line, long punctuation
 * runs, one line per `/`, unclosed `<svg>` and `<script>` elements, bracket
 * runs), against a plain 65 KB body. A linear scan keeps the ratio small; the
 * quadratic one this replaced took seconds on the first ones.
 */

const SIZE = 65_536;
const RUNS = 15;
const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

/** Ordinary text with slashes (paths, links) on every line, so the parser scans all of it. */
const PLAIN = fill("The crash is in src/config/load.ts, see https://example.com/issues/1 and `npm test`.\n");
const PARSER_ATTACKS: Record<string, string> = {
  "/jules then <!-- ×16k": ("/jules " + fill("<!--")).slice(0, SIZE),
  "/a <!-- lines": fill("/a <!-- "),
  "/jules ....x": ("/jules " + fill(".")).slice(0, SIZE - 1) + "x",
  "/a per line": fill("/a\n"),
  "backticks and quotes": fill("`` > `/jules\n"),
};
const SANITIZER_ATTACKS: Record<string, string> = {
  "<svg> then <svg ×13k": ("<svg>" + fill("<svg ")).slice(0, SIZE),
  "<script> then <script ×8k": ("<script>" + fill("<script ")).slice(0, SIZE),
  "[ ×65k": fill("["),
  "a<!----> ×8k": fill("a<!---->"),
  "[a]( ×16k": fill("[a]("),
  "one line per char": fill("\n"),
};

function medianMs(run: () => unknown): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

function rows(name: string, attacks: Record<string, string>, run: (body: string) => unknown): string[] {
  const plain = medianMs(() => run(PLAIN));
  const lines = [`  ${name}: plain 65 KB body ${ms(plain)}`];
  for (const [label, body] of Object.entries(attacks)) {
    const hostile = medianMs(() => run(body));
    lines.push(`    ${label.padEnd(28)} ${ms(hostile).padStart(9)}  (${(hostile / Math.max(plain, 0.01)).toFixed(0)}× plain)`);
  }
  return lines;
}

export async function benchHostileText(): Promise<string[]> {
  return [
    `  median of ${RUNS} warm runs per ${SIZE.toLocaleString("en")}-character body`,
    ...rows("command parser", PARSER_ATTACKS, (body) => {
      mentionsCommand(body);
      return parseCommand(body, { command: "jules" });
    }),
    ...rows("thread sanitizer", SANITIZER_ATTACKS, sanitizeUntrusted),
  ];
}

if (import.meta.main) for (const line of await benchHostileText()) console.log(line);
