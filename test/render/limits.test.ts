import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { clip, fitComment, scaled } from "../../src/render/limits.ts";

describe("clip", () => {
  it("keeps short text and cuts long text with an ellipsis, never splitting a surrogate pair", () => {
    assert.equal(clip("abc", 3), "abc");
    assert.equal(clip("abcd", 3), "ab…");
    assert.equal(clip("a😀b", 3), "a…");
    assert.equal(clip("abc", 1), "…");
    assert.equal(clip("abc", 0), "");
  });
});

describe("fitComment", () => {
  it("re-renders with smaller allowances until the result fits", () => {
    const seen: number[] = [];
    const body = fitComment((scale) => {
      seen.push(scale);
      return "x".repeat(scaled(1000, scale, 1));
    }, 300);
    assert.deepEqual(seen, [1, 0.5, 0.25]);
    assert.equal(body.length, 250);
  });

  it("cuts hard, keeping the start, when nothing fits", () => {
    const body = fitComment(() => `<!-- marker -->\n${"y".repeat(1000)}`, 200);
    assert.ok(body.length <= 200);
    assert.ok(body.startsWith("<!-- marker -->\n"));
    assert.ok(body.endsWith("_(this comment was cut to fit GitHub's size limit)_"));
  });
});
