import assert from "node:assert/strict";
import { describe, it } from "vitest";
import fc from "fast-check";
import { sanitizeUntrusted } from "../../src/security/sanitize.ts";
import { bestCpuMs } from "../helpers/cpu-time.ts";

/**
 * Issue titles, bodies and comments (at most 65,536 characters on GitHub) are
 * sanitized in the worker's process: no body may stall it. The bound is loose
 * (several rounds of the scan, a shared machine); a quadratic scan misses it
 * by an order of magnitude (an unclosed `<svg>` followed by 65 KB of `<svg ` took
 * over a second before the scan was made linear).
 */
const GITHUB_MAX = 65_536;
const BOUND_MS = 300;
const fill = (unit: string, length = GITHUB_MAX) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

function sanitizeMs(text: string): number {
  return bestCpuMs(() => sanitizeUntrusted(text), BOUND_MS);
}

const PIECES = [
  "<!--",
  "-->",
  "<!-->",
  "<svg>",
  "<svg ",
  "<script>",
  "<script ",
  "<div hidden>",
  "</div>",
  '<a x="',
  "<a x='",
  "<b x=1>",
  "<img alt=x>",
  "<pre>",
  "`",
  "``",
  "```\n",
  "~~~\n",
  "[",
  "]",
  "![",
  "](",
  "(",
  ")",
  '"',
  "'",
  "[x]: y ",
  "[x]",
  "\\",
  "\n",
  "\n\n",
  " ",
  "a",
  "&#8203;",
  "\u200B",
  "\uFE0F",
  'style="width:0;',
  "overflow:hidden",
  ">",
];
const piece = fc.constantFrom(...PIECES);
const repeated = fc.array(piece, { minLength: 1, maxLength: 6 }).map((motif) => fill(motif.join("")));
const withHead = fc
  .tuple(fc.constantFrom("<svg>", "<script>", "<div hidden>", "[a](", "![", "```\n", "<pre>\n", '[x]: y "'), repeated)
  .map(([head, rest]) => (head + rest).slice(0, GITHUB_MAX));
const mixed = fc.array(piece, { minLength: 12_000, maxLength: 12_000 }).map((parts) => fill(parts.join("")));

describe("sanitizeUntrusted: linear time on hostile bodies", () => {
  it("sanitizes the known quadratic shapes of 65,536 characters in time", () => {
    for (const attack of ["<svg>" + fill("<svg "), "<script>" + fill("<script "), fill("["), fill("a<!---->"), fill("<b x=1>"), fill("[a\\"), fill("[a]("), fill('[a](b "')]) {
      const ms = sanitizeMs(attack.slice(0, GITHUB_MAX));
      assert.ok(ms < BOUND_MS, `${JSON.stringify(attack.slice(0, 16))}…: ${ms.toFixed(0)} ms`);
    }
  });

  it("sanitizes any 65,536-character body in time", () => {
    fc.assert(
      fc.property(fc.oneof(repeated, withHead, mixed), (text) => {
        const ms = sanitizeMs(text);
        assert.ok(ms < BOUND_MS, `${JSON.stringify(text.slice(0, 40))}…: ${ms.toFixed(0)} ms`);
      }),
      { numRuns: 60 },
    );
  });
});
