import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { isValidBranchName } from "../../../src/github/commands/branch-name.ts";

describe("isValidBranchName", () => {
  it("accepts ordinary branch names", () => {
    for (const name of ["main", "release/1.x", "feature/jules-12_fix", "v2.0.1", "ümlaut", "a@b"]) {
      assert.equal(isValidBranchName(name), true, name);
    }
  });

  it("rejects what git check-ref-format rejects", () => {
    for (const name of [
      "",
      "-x",
      "/x",
      "x/",
      "x.",
      "a..b",
      "a//b",
      "a@{1}",
      "@",
      "a b",
      "a~1",
      "a^",
      "a:b",
      "a?",
      "a*",
      "a[b",
      "a\\b",
      ".hidden",
      "x/.y",
      "x.lock",
      "a/b.lock/c",
      "tab\tname",
      "nul\u0000",
      "del\u007f",
      "x".repeat(256),
    ]) {
      assert.equal(isValidBranchName(name), false, JSON.stringify(name));
    }
  });
});
