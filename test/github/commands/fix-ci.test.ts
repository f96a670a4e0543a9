import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { JulesCommandSchema } from "../../../src/github/commands/command.ts";
import { parseCommand } from "../../../src/github/commands/parse.ts";

const parse = (body: string) => parseCommand(body, { command: "jules" });

describe("parseCommand: fix-ci", () => {
  it("reads /jules fix-ci, in any case, with trailing punctuation, after other lines", () => {
    for (const body of ["/jules fix-ci", "/JULES Fix-CI!", "CI is red.\n/jules   fix-ci  ", "/jules fix-ci."]) assert.deepEqual(parse(body), { kind: "fix_ci" }, body);
    assert.deepEqual(parseCommand("/bot fix-ci", { command: "bot" }), { kind: "fix_ci" });
    assert.ok(JulesCommandSchema.safeParse({ kind: "fix_ci" }).success);
  });

  it("keeps other text a start or an unknown word, and ignores what is not a command line", () => {
    assert.deepEqual(parse("/jules fix-ci and rename the helper"), { kind: "start", text: "fix-ci and rename the helper", base: null });
    assert.deepEqual(parse("/jules fix-cis"), { kind: "unknown", word: "fix-cis" });
    assert.equal(parse("> /jules fix-ci"), null);
    assert.equal(parse("`/jules fix-ci`"), null);
    assert.equal(parse("/jules-fix-ci"), null);
  });
});
