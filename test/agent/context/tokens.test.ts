import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { estimateTokens, truncateText } from "../../../src/agent/context/tokens.ts";

describe("estimateTokens", () => {
  it("counts four characters per token, rounding up", () => {
    assert.equal(estimateTokens(""), 0);
    assert.equal(estimateTokens("abcd"), 1);
    assert.equal(estimateTokens("abcde"), 2);
  });
});

describe("truncateText", () => {
  it("returns text within the limit unchanged", () => {
    assert.equal(truncateText("short", 10), "short");
  });

  it("cuts at a line break near the end and says how much was left out, within the limit", () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    const out = truncateText(text, 200, "log");
    assert.ok(out.length <= 200);
    assert.match(out, /\nline \d+\n\[… log truncated: [\d,]+ more characters not shown\]$/);
    const kept = out.slice(0, out.lastIndexOf("\n["));
    assert.ok(text.startsWith(kept));
    assert.match(out, new RegExp(`truncated: ${(text.length - kept.length).toLocaleString("en-US")} more`));
  });

  it("never splits a surrogate pair", () => {
    const out = truncateText("😀".repeat(100), 81);
    assert.doesNotMatch(out, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    assert.ok(truncateText("😀".repeat(10), 5).length <= 5);
  });
});
