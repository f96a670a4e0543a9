import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { JulesCommandSchema, MAX_COMMAND_TEXT } from "../../../src/github/commands/command.ts";
import { parseCommand } from "../../../src/github/commands/parse.ts";

const parse = (body: string) => parseCommand(body, { command: "jules" });

describe("parseCommand: ask", () => {
  it("reads /jules ask <question>, the question spanning the following lines", () => {
    assert.deepEqual(parse("/jules ask where is the retry limit set?"), { kind: "ask", question: "where is the retry limit set?" });
    assert.deepEqual(parse("/JULES Ask why\ndoes `parse` allocate?\n\nThanks"), { kind: "ask", question: "why\ndoes `parse` allocate?\n\nThanks" });
    assert.deepEqual(parse("Quick one:\n/jules   ask    what calls retry()?  "), { kind: "ask", question: "what calls retry()?" });
  });

  it("takes the repository's command word, even when it is ask itself", () => {
    assert.deepEqual(parseCommand("/bot ask what is this?", { command: "bot" }), { kind: "ask", question: "what is this?" });
    assert.equal(parse("/bot ask what is this?"), null);
    assert.deepEqual(parseCommand("/ask ask what is this?", { command: "ask" }), { kind: "ask", question: "what is this?" });
  });

  it("answers /jules ask without a question as unknown ask (the reply says a question is needed)", () => {
    assert.deepEqual(parse("/jules ask"), { kind: "unknown", word: "ask" });
    assert.deepEqual(parse("/jules ask   "), { kind: "unknown", word: "ask" });
  });

  it("is not fooled by words that only start with ask, and keeps /jules <text> a start", () => {
    assert.deepEqual(parse("/jules asking users for consent before tracking"), { kind: "start", text: "asking users for consent before tracking", base: null });
    assert.deepEqual(parse("/jules-ask why?"), null);
    assert.deepEqual(parse("/jules fix ask()"), { kind: "start", text: "fix ask()", base: null });
  });

  it("cuts a long question like every text, and the result fits the command schema", () => {
    const parsed = parse(`/jules ask ${"why ".repeat(MAX_COMMAND_TEXT)}`);
    assert.equal(parsed?.kind, "ask");
    assert.ok(parsed?.kind === "ask" && parsed.question.length <= MAX_COMMAND_TEXT);
    assert.ok(JulesCommandSchema.safeParse(parsed).success);
  });
});
