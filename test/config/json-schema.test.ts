import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { caseInsensitiveSource } from "../../src/config/json-schema.ts";

describe("caseInsensitiveSource", () => {
  it("rewrites letters and class ranges to match both cases", () => {
    assert.equal(caseInsensitiveSource("^[a-z][a-z0-9-]{0,31}$"), "^[a-zA-Z][a-zA-Z0-9-]{0,31}$");
    assert.equal(caseInsensitiveSource("^jules\\d+$"), "^[jJ][uU][lL][eE][sS]\\d+$");
    assert.equal(caseInsensitiveSource("[^x_]"), "[^xX_]");
  });

  it("matches the same strings as the i-flagged original", () => {
    const sources = ["^[a-z][a-z0-9-]{0,31}$", "^ab?c\\w*$", "^[A-F0-9]+$"];
    const inputs = ["jules", "JULES", "Bot-2", "-x", "abc", "ABC", "AC_x", "deadBEEF", "xyz", ""];
    for (const source of sources) {
      const flagged = new RegExp(source, "i");
      const rewritten = new RegExp(caseInsensitiveSource(source));
      for (const input of inputs) assert.equal(rewritten.test(input), flagged.test(input), `${source} on ${input}`);
    }
  });
});
