import { describe, it } from "vitest";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseCommand, mentionsCommand } from "../../../src/github/commands/parse.ts";
import { JulesCommandSchema } from "../../../src/github/commands/command.ts";

/** Pieces that stress the scanner: fences, quotes, backticks, comments, escapes, slashes, unicode. */
const piece = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom("\n/jules ", "\n/approve ", "\n  /revise ", "\n/cancel", "\n/bot ", "\n```\n", "\n> ", "\n<!--\n", "\n\n"),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "/jules",
      "/JULES",
      "/bot",
      "/approve",
      "/revise",
      "/cancel",
      "/approved",
      "/jules-x",
      "/",
      "//",
      "\\",
      "\\`",
      "`",
      "``",
      "```",
      "````",
      "~~~",
      "~~~~",
      ">",
      "> ",
      "<!--",
      "-->",
      "<!-->",
      "\n",
      "\r\n",
      "\r",
      " ",
      "  ",
      "\t",
      "status",
      "help",
      "--base",
      "--base=",
      "main",
      "frobnicate",
      "fix it",
      "\u200b",
      "\uFEFF",
      "😀",
      "é",
      "\u212A",
    ),
  },
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 4 }),
);
const body = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(""));
const commandWord = fc.oneof(fc.constantFrom("jules", "bot", "Jules"), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,31}$/));

/** Leading blanks as the scanner sees them. */
const unindent = (line: string) => line.replace(/^[ \t\u200b\u200c\u200d\u2060\ufeff]+/, "");

/** A line that is not blank and cannot open a fence, an HTML block or start with a slash. */
const plainLine = fc.string({ unit: fc.constantFrom("a", " ", "`", "``", "\\", "<", "!", "-", "/", ">", "é", "~", "*", "😀"), maxLength: 20 }).filter((line) => {
  const t = unindent(line);
  return t !== "" && !t.startsWith("/") && !t.startsWith("```") && !t.startsWith("~~~") && !t.startsWith("<!--") && !t.startsWith(">");
});
/** Any single line (may hold commands), without line breaks. */
const anyLine = fc
  .array(
    piece.filter((p) => !/[\r\n]/.test(p)),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));
const commandLine = fc.tuple(fc.constantFrom("/jules", "/approve", "/revise x", "/cancel", "/bot status", "  /jules help"), anyLine).map(([c, l]) => `${c} ${l}`);

const fenceBlock = fc
  .tuple(fc.constantFrom("```", "````", "~~~", "~~~~~"), fc.constantFrom("", "ts", " sh title=x"), fc.array(fc.oneof(commandLine, anyLine), { maxLength: 5 }))
  .map(([fence, info, lines]) => {
    const char = fence[0]!;
    const inner = lines.filter((l) => !unindent(l).startsWith(char.repeat(3)));
    return [fence + (char === "`" ? info.replace(/`/g, "") : info), ...inner, fence].join("\n");
  });
const quoteBlock = fc.array(fc.oneof(commandLine, anyLine), { minLength: 1, maxLength: 4 }).map((lines) => lines.map((l) => `> ${l}`).join("\n"));
/** HTML comment blocks; `>` is dropped from their lines so no `-->` can end them early. */
const commentBlock = fc.array(fc.oneof(commandLine, anyLine), { maxLength: 3 }).map((lines) => ["<!--", ...lines.map((l) => l.replace(/>/g, "")), "-->"].join("\n"));
/** Bodies in which every command sits in a fence, a quote or an HTML comment, and every block is closed. */
const shieldedBody = fc.array(fc.oneof(fenceBlock, quoteBlock, commentBlock, plainLine, fc.constant("")), { maxLength: 12 }).map((blocks) => blocks.join("\n"));

const RUNS = { numRuns: 3000 };

describe("parseCommand properties", () => {
  it("never throws and always returns a value the schema accepts", () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(body, commandWord, (text, command) => {
        const result = parseCommand(text, { command });
        seen.set(result?.kind ?? "null", (seen.get(result?.kind ?? "null") ?? 0) + 1);
        if (result !== null) assert.equal(JulesCommandSchema.safeParse(result).success, true, JSON.stringify(result));
      }),
      RUNS,
    );
    // The generator must reach the interesting cases, or the property proves little.
    for (const kind of ["null", "start", "approve", "revise", "cancel", "unknown"]) assert.ok((seen.get(kind) ?? 0) > 20, `${kind}: ${JSON.stringify([...seen])}`);
  });

  it("returns null whenever mentionsCommand is false", () => {
    fc.assert(
      fc.property(body, commandWord, (text, command) => {
        if (!mentionsCommand(text)) assert.equal(parseCommand(text, { command }), null);
      }),
      RUNS,
    );
  });

  it("never detects commands inside fences, quotes or HTML comments", () => {
    fc.assert(
      fc.property(shieldedBody, commandWord, (text, command) => {
        assert.equal(mentionsCommand(text), false);
        assert.equal(parseCommand(text, { command }), null);
        assert.equal(parseCommand(text.replace(/\n/g, "\r\n"), { command }), null);
      }),
      RUNS,
    );
  });

  it("finds a command placed after closed blocks", () => {
    fc.assert(
      fc.property(shieldedBody, fc.constantFrom("approve", "cancel"), (text, word) => {
        assert.deepEqual(parseCommand(`${text}\n\n/${word} ok`, { command: "jules" }), word === "approve" ? { kind: "approve", note: "ok" } : { kind: "cancel", reason: "ok" });
      }),
      RUNS,
    );
  });

  it("is not changed by a quote line put in front", () => {
    fc.assert(
      fc.property(anyLine, body, (quoted, text) => {
        assert.deepEqual(parseCommand(`>${quoted}\n${text}`, { command: "jules" }), parseCommand(text, { command: "jules" }));
      }),
      RUNS,
    );
  });
});
