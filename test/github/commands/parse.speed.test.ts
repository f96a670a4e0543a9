import { describe, it } from "vitest";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseCommand, mentionsCommand } from "../../../src/github/commands/parse.ts";
import { MAX_SCANNED_LENGTH } from "../../../src/github/commands/scan.ts";
import { bestCpuMs } from "../../helpers/cpu-time.ts";

/**
 * The command scanner runs in intake, on the webhook path, before any gate:
 * anyone who can comment chooses its input. It must stay linear, so no body
 * GitHub accepts (at most 65,536 characters) can block the event loop.
 */
const GITHUB_MAX = 65_536;
const BOUND_MS = 50;

const fill = (unit: string, length = GITHUB_MAX) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Fastest parse in CPU time (see cpu-time.ts). */
function parseMs(body: string): number {
  return bestCpuMs(() => {
    mentionsCommand(body);
    parseCommand(body, { command: "jules" });
  }, BOUND_MS);
}

/** The pieces attackers reach for: comment openers and closers, backticks, quotes, fences, slashes, commands. */
const PIECES = ["<!--", "-->", "<!-->", "`", "``", "```", "~~~", ">", "> ", "\n", "\n\n", "\r\n", "/jules", "/approve", "/", " ", "\t", "\\", ".", "!", "?", "a", "x"];
const piece = fc.constantFrom(...PIECES);
/** A short motif repeated to the full size (repetition is what makes a quadratic scan show). */
const repeated = fc.array(piece, { minLength: 1, maxLength: 8 }).map((motif) => fill(motif.join("")));
/** A motif after a prefix that opens a command line, so the rest of the body is all one candidate's paragraph. */
const afterCommand = fc.tuple(fc.constantFrom("/jules ", "/approve ", "/a ", "/", "x\n/jules "), repeated).map(([head, rest]) => (head + rest).slice(0, GITHUB_MAX));
/** Random mixes of the same pieces. */
const mixed = fc.array(piece, { minLength: 16_000, maxLength: 16_000 }).map((parts) => fill(parts.join("")));
const body = fc.oneof(repeated, afterCommand, mixed);

describe("parseCommand: linear time on the webhook path", () => {
  it("parses 65 KB of unclosed <!-- after a command line in under 50 ms (the reported attack)", () => {
    for (const attack of ["/" + fill("<!--").slice(1), fill("/<!--"), fill("/a <!-- ")]) {
      const ms = parseMs(attack);
      assert.ok(ms < BOUND_MS, `${JSON.stringify(attack.slice(0, 12))}…: ${ms.toFixed(0)} ms`);
    }
  });

  it("parses a 65 KB command of trailing punctuation in under 50 ms", () => {
    for (const attack of ["/jules " + fill(".", GITHUB_MAX - 8) + "x", "/jules " + fill("!?", GITHUB_MAX - 8) + "x"]) {
      const ms = parseMs(attack);
      assert.ok(ms < BOUND_MS, `${JSON.stringify(attack.slice(0, 12))}…: ${ms.toFixed(0)} ms`);
    }
  });

  it("parses any 65,536-character body in under 50 ms", () => {
    fc.assert(
      fc.property(body, (text) => {
        assert.equal(text.length, GITHUB_MAX);
        const ms = parseMs(text);
        assert.ok(ms < BOUND_MS, `${JSON.stringify(text.slice(0, 40))}…: ${ms.toFixed(0)} ms`);
      }),
      { numRuns: 150 },
    );
  });

  it("scans every body GitHub accepts, and nothing past the cap", () => {
    assert.ok(MAX_SCANNED_LENGTH >= 2 * GITHUB_MAX, "65,536 characters counted as code points can take 131,072 UTF-16 units");
    const astral = fill("😀", MAX_SCANNED_LENGTH - 20);
    assert.deepEqual(parseCommand(`${astral}\n\n/approve ok`, { command: "jules" }), { kind: "approve", note: "ok" });
    const past = `${fill("a", MAX_SCANNED_LENGTH)}\n\n/approve ok`;
    assert.equal(parseCommand(past, { command: "jules" }), null);
    assert.equal(mentionsCommand(past), false);
  });
});
