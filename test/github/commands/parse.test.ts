import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { parseCommand, mentionsCommand } from "../../../src/github/commands/parse.ts";
import { MAX_COMMAND_TEXT, JulesCommandSchema } from "../../../src/github/commands/command.ts";

const parse = (body: string, command = "jules") => {
  const result = parseCommand(body, { command });
  if (result) JulesCommandSchema.parse(result);
  return result;
};

describe("parseCommand: /jules starts a task", () => {
  it("takes /jules alone as the issue itself", () => {
    assert.deepEqual(parse("/jules"), { kind: "start", text: "", base: null });
    assert.deepEqual(parse("  /jules   \n\n"), { kind: "start", text: "", base: null });
  });

  it("takes the rest of the line and the following lines as the instruction", () => {
    assert.deepEqual(parse("/jules fix the crash\nwhen the list is empty.\n\nThanks!  "), {
      kind: "start",
      text: "fix the crash\nwhen the list is empty.\n\nThanks!",
      base: null,
    });
  });

  it("keeps following code blocks and quotes as part of the instruction", () => {
    const body = "/jules make this pass:\n```ts\nexpect(f()).toBe(1)\n```\n> quoted";
    assert.deepEqual(parse(body), { kind: "start", text: "make this pass:\n```ts\nexpect(f()).toBe(1)\n```\n> quoted", base: null });
  });

  it("reads the command after text on earlier lines, and ignores text before it", () => {
    assert.deepEqual(parse("Hi there.\n\n/jules add a test"), { kind: "start", text: "add a test", base: null });
  });

  it("names the base branch with --base", () => {
    assert.deepEqual(parse("/jules --base release/1.x backport the fix"), { kind: "start", text: "backport the fix", base: "release/1.x" });
    assert.deepEqual(parse("/jules --base=develop\nport it"), { kind: "start", text: "port it", base: "develop" });
    assert.deepEqual(parse("/jules --BASE main"), { kind: "start", text: "", base: "main" });
  });

  it("answers an invalid or missing base branch with unknown --base", () => {
    for (const body of ["/jules --base", "/jules --base= fix", "/jules --base feature..x fix", "/jules --base -x", "/jules --base a:b go"]) {
      assert.deepEqual(parse(body), { kind: "unknown", word: "--base" }, body);
    }
  });

  it("is case-insensitive for the command word and subcommands", () => {
    assert.deepEqual(parse("/JULES Fix it"), { kind: "start", text: "Fix it", base: null });
    assert.deepEqual(parse("/Jules STATUS"), { kind: "status" });
    assert.deepEqual(parse("/jules Help"), { kind: "help" });
    assert.deepEqual(parse("/APPROVE"), { kind: "approve", note: "" });
  });
});

describe("parseCommand: subcommands and slash commands", () => {
  it("reads status and help only as the whole text", () => {
    assert.deepEqual(parse("/jules status"), { kind: "status" });
    assert.deepEqual(parse("/jules help"), { kind: "help" });
    assert.deepEqual(parse("/jules help!"), { kind: "help" });
    assert.deepEqual(parse("/jules status of the build is wrong, fix it"), {
      kind: "start",
      text: "status of the build is wrong, fix it",
      base: null,
    });
  });

  it("reads /approve with an optional note, and /jules approve as an alias", () => {
    assert.deepEqual(parse("/approve"), { kind: "approve", note: "" });
    assert.deepEqual(parse("/approve looks good,\nship it"), { kind: "approve", note: "looks good,\nship it" });
    assert.deepEqual(parse("/jules approve lgtm"), { kind: "approve", note: "lgtm" });
  });

  it("reads /revise with feedback; without feedback it is unknown revise", () => {
    assert.deepEqual(parse("/revise also update the docs"), { kind: "revise", feedback: "also update the docs" });
    assert.deepEqual(parse("/jules revise\nuse a map instead"), { kind: "revise", feedback: "use a map instead" });
    assert.deepEqual(parse("/revise"), { kind: "unknown", word: "revise" });
    assert.deepEqual(parse("/jules revise   "), { kind: "unknown", word: "revise" });
  });

  it("reads /cancel with an optional reason", () => {
    assert.deepEqual(parse("/cancel"), { kind: "cancel", reason: "" });
    assert.deepEqual(parse("/cancel wrong issue"), { kind: "cancel", reason: "wrong issue" });
    assert.deepEqual(parse("/jules cancel"), { kind: "cancel", reason: "" });
  });

  it("answers an unknown single lowercase word with unknown", () => {
    assert.deepEqual(parse("/jules frobnicate"), { kind: "unknown", word: "frobnicate" });
    assert.deepEqual(parse("/jules re-run"), { kind: "unknown", word: "re-run" });
    assert.deepEqual(parse("/jules fix"), { kind: "unknown", word: "fix" });
    // Not a single lowercase word of ≤ 24 letters: an instruction.
    assert.deepEqual(parse("/jules Refactor"), { kind: "start", text: "Refactor", base: null });
    assert.deepEqual(parse("/jules abcdefghijklmnopqrstuvwxy"), { kind: "start", text: "abcdefghijklmnopqrstuvwxy", base: null });
    assert.deepEqual(parse("/jules v2"), { kind: "start", text: "v2", base: null });
  });
});

describe("parseCommand: what is not a command", () => {
  it("needs a word boundary after the command", () => {
    for (const body of ["/julesfoo", "/jules-x do it", "/approved", "/cancelled", "/revisein", "/jules: fix", "/ jules"]) {
      assert.equal(parse(body), null, body);
    }
  });

  it("needs the command at the start of a line", () => {
    assert.equal(parse("please /jules fix it"), null);
    assert.equal(parse("see \\/jules"), null);
    assert.equal(parse("- /jules fix"), null);
  });

  it("ignores quoted commands", () => {
    assert.equal(parse("> /jules fix it"), null);
    assert.equal(parse("  > /approve"), null);
    assert.equal(parse(">/cancel\n>> /revise x"), null);
  });

  it("ignores fenced commands, with any info string, and unclosed fences to the end", () => {
    assert.equal(parse("```\n/jules fix\n```"), null);
    assert.equal(parse("~~~ sh title=x\n/approve\n~~~"), null);
    assert.equal(parse("````md\n```\n/approve\n```\n````"), null);
    assert.equal(parse("text\n```\n/approve\n\nstill code"), null);
    assert.equal(parse("~~~\n/approve\n```\n/cancel"), null);
  });

  it("reads a command after a closed fence", () => {
    assert.deepEqual(parse("```\n/cancel\n```\n/approve"), { kind: "approve", note: "" });
  });

  it("ignores commands in inline code, also when the span crosses lines", () => {
    assert.equal(parse("`/jules fix`"), null);
    assert.equal(parse("run `this\n/approve` now"), null);
    assert.equal(parse("``a ` b\n/approve``"), null);
  });

  it("honours escaped backticks and unmatched runs", () => {
    assert.deepEqual(parse("a \\` b\n/approve `x`"), { kind: "approve", note: "`x`" });
    assert.deepEqual(parse("a `` b\n/approve"), { kind: "approve", note: "" });
    assert.deepEqual(parse("one `\n\n/approve `"), { kind: "approve", note: "`" });
  });

  it("ignores commands hidden in HTML comments", () => {
    assert.equal(parse("<!--\n/approve\n-->"), null);
    assert.equal(parse("text <!-- hidden\n/approve -->"), null);
    assert.deepEqual(parse("<!-- x -->\n/approve"), { kind: "approve", note: "" });
  });
});

describe("parseCommand: order, configuration and odd input", () => {
  it("takes the first command line", () => {
    assert.deepEqual(parse("> /cancel\n/approve first\n/cancel second"), { kind: "approve", note: "first\n/cancel second" });
    assert.deepEqual(parse("/unrelated thing\n/revise tighten it"), { kind: "revise", feedback: "tighten it" });
  });

  it("uses the configured command word", () => {
    assert.deepEqual(parse("/bot fix it", "bot"), { kind: "start", text: "fix it", base: null });
    assert.deepEqual(parse("/Bot status", "BOT"), { kind: "status" });
    assert.equal(parse("/jules fix it", "bot"), null);
    assert.deepEqual(parse("/approve", "bot"), { kind: "approve", note: "" });
  });

  it("handles CRLF and CR line endings", () => {
    assert.deepEqual(parse("hello\r\n/jules fix it\r\nplease\r\n"), { kind: "start", text: "fix it\nplease", base: null });
    assert.equal(parse("```\r\n/approve\r\n```"), null);
    assert.deepEqual(parse("x\r/cancel now"), { kind: "cancel", reason: "now" });
  });

  it("keeps unicode text and rejects look-alike command words", () => {
    assert.deepEqual(parse("/jules corrige l’accent 🙂 für Ärger"), { kind: "start", text: "corrige l’accent 🙂 für Ärger", base: null });
    assert.equal(parse("/\u212Aeep", "keep"), null);
    assert.equal(parse("/\u200bjules fix"), null);
    // Invisible characters before the slash count as leading blanks: the line shows `/approve`.
    assert.deepEqual(parse("hi\n\u200b\uFEFF /approve"), { kind: "approve", note: "" });
  });

  it("cuts huge texts at MAX_COMMAND_TEXT without splitting a surrogate pair", () => {
    const huge = parse(`/jules ${"x".repeat(100_000)}`);
    assert.equal(huge?.kind, "start");
    assert.equal(huge?.kind === "start" && huge.text.length, MAX_COMMAND_TEXT);
    const emoji = parse(`/revise ${"a" + "😀".repeat(MAX_COMMAND_TEXT)}`);
    assert.ok(emoji?.kind === "revise");
    assert.equal(emoji.feedback.length, MAX_COMMAND_TEXT - 1);
    assert.ok(emoji.feedback.endsWith("😀"));
  });

  it("returns null for bodies without any command", () => {
    assert.equal(parse(""), null);
    assert.equal(parse("Just a comment, see https://example.com/jules"), null);
  });
});

describe("mentionsCommand", () => {
  it("is true for any slash word on a candidate line", () => {
    assert.equal(mentionsCommand("/jules fix"), true);
    assert.equal(mentionsCommand("hi\n  /whatever"), true);
    assert.equal(mentionsCommand("/approve"), true);
  });

  it("is false for quoted, fenced, inline-code or non-letter slashes", () => {
    assert.equal(mentionsCommand("> /jules fix"), false);
    assert.equal(mentionsCommand("```\n/jules\n```"), false);
    assert.equal(mentionsCommand("`/jules`"), false);
    assert.equal(mentionsCommand("/ 2 /3 //x"), false);
    assert.equal(mentionsCommand("a/b and c /d"), false);
  });
});
