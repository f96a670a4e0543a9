import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { parseCommand } from "../../../src/github/commands/parse.ts";

const parse = (body: string) => parseCommand(body, { command: "jules" });

describe("parseCommand: pause and resume", () => {
  it("reads /jules pause alone (a trailing . ! ? tolerated), and a longer text as an instruction", () => {
    assert.deepEqual(parse("/jules pause"), { kind: "pause" });
    assert.deepEqual(parse("/JULES Pause!"), { kind: "pause" });
    assert.deepEqual(parse("/jules pause animations when the tab is hidden"), { kind: "start", text: "pause animations when the tab is hidden", base: null });
  });

  it("reads /jules resume with or without budget, and a resume that is not budget as an instruction", () => {
    assert.deepEqual(parse("/jules resume"), { kind: "resume", budget: "" });
    assert.deepEqual(parse("/jules resume."), { kind: "resume", budget: "" });
    assert.deepEqual(parse("/jules resume $2"), { kind: "resume", budget: "$2" });
    assert.deepEqual(parse("/jules resume 20 turns, 30 minutes"), { kind: "resume", budget: "20 turns, 30 minutes" });
    assert.deepEqual(parse("/ask resume $1"), null);
    assert.deepEqual(parseCommand("/ask resume $1", { command: "ask" }), { kind: "resume", budget: "$1" });
    assert.deepEqual(parse("/jules resume uploads after a network error"), { kind: "start", text: "resume uploads after a network error", base: null });
  });
});
