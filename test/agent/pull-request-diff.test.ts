import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { formatPullRequestDiff } from "../../src/agent/context/pull-request.ts";
import type { PullRequestDiff } from "../../src/agent/port.ts";

const pr = (overrides: Partial<PullRequestDiff> = {}): PullRequestDiff => ({
  number: 7,
  title: "Retry on 502",
  baseRef: "main",
  checkedOut: "fix/retry",
  checkedOutHead: true,
  files: [
    { path: "src/retry.ts", previousPath: null, status: "modified", additions: 3, deletions: 1, patch: "@@ -1,2 +1,4 @@\n-const codes = [503];\n+const codes = [502, 503];" },
    { path: "src/new-name.ts", previousPath: "src/old-name.ts", status: "renamed", additions: 0, deletions: 0, patch: null },
  ],
  more: false,
  ...overrides,
});

describe("the pull request a question is about, in the prompt", () => {
  it("names the pull request and the working copy, and shows each file's patch as delimited untrusted data", () => {
    const text = formatPullRequestDiff(pr());
    assert.match(
      text,
      /^# The pull request\n\nThe question is about pull request #7 \(into `main`\): 2 changed files \(\+3 −1\)\. The working copy your tools read is the pull request's head branch `fix\/retry`: the changes are in it\./,
    );
    const tag = /<(untrusted-pull-request-[0-9a-f]+)>/.exec(text)?.[1];
    assert.ok(tag, text);
    assert.ok(text.includes(`</${tag}>`));
    assert.ok(text.includes("Title: Retry on 502"));
    assert.ok(text.includes("--- src/retry.ts (modified, +3 −1)\n@@ -1,2 +1,4 @@\n-const codes = [503];\n+const codes = [502, 503];"));
    assert.ok(text.includes("--- src/old-name.ts → src/new-name.ts (renamed, +0 −0)\n(no patch: a binary file, or a diff too large for GitHub to show)"));
  });

  it("says when the working copy is the base (a fork's head) and the changes are not in it", () => {
    assert.match(formatPullRequestDiff(pr({ checkedOut: "main", checkedOutHead: false })), /base branch `main` \(the head is in a fork\): the changes below are NOT in it\./);
  });

  it("cuts a long patch, names the files past the whole diff's cap without their patch, and says when files were not listed", () => {
    const big = (path: string) => ({ path, previousPath: null, status: "modified", additions: 500, deletions: 0, patch: `@@ -0,0 +1,500 @@\n${"+line\n".repeat(500)}` });
    const text = formatPullRequestDiff(pr({ files: [big("a.ts"), big("b.ts"), big("c.ts")], more: true }), { patchChars: 1_000, diffChars: 2_500 });
    assert.match(text, /3\+ changed files \(\+1500 −0 in those listed\)/);
    assert.match(text, /\[… patch of a\.ts truncated: [\d,]+ more characters not shown\]/);
    assert.match(text, /Patches not shown, to keep the prompt short \(read the files instead\): c\.ts \(modified, \+500 −0\)\./);
    assert.match(text, /The pull request changes more files than those listed here\./);
    assert.ok(text.length < 4_000, `${text.length}`);
  });
});
