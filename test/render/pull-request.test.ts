import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { ZWSP } from "../../src/render/escape.ts";
import { GITHUB_COMMENT_LIMIT } from "../../src/render/limits.ts";
import { checkRunOutput, fenced, pullRequestTitle, renderPullRequestBody, type PullRequestBodyInput } from "../../src/render/pull-request.ts";
import { makeTask, PLAN } from "./fixtures.ts";

const usage = { inputTokens: 12_345, outputTokens: 2_345, calls: 7, wallMs: 65_000, costUsd: 0.0123 };

function input(overrides: Partial<PullRequestBodyInput> = {}): PullRequestBodyInput {
  return {
    task: makeTask({ approvedBy: "bob", plan: PLAN }),
    plan: PLAN,
    summary: "`sum()` now returns 0 for an empty list.",
    tests: { command: "npm test", passed: true, summary: "# pass 12" },
    files: [
      { path: "src/sum.ts", status: "modified" },
      { path: "test/sum.test.ts", status: "added" },
    ],
    usage,
    ...overrides,
  };
}

describe("renderPullRequestBody", () => {
  it("renders summary, plan, files, tests, usage and the closing keyword", () => {
    assert.equal(
      renderPullRequestBody(input()),
      `<!-- openjules:pull-request task=t_01 -->

### Summary

\`sum()\` now returns 0 for an empty list.

### Plan

<details>
<summary>The plan (approved by @${ZWSP}bob)</summary>

Guard \`sum()\` against empty lists.

1. Return 0 for an empty list
   Files: \`src/sum.ts\`
2. Add a test
   Files: \`test/sum.test.ts\`

**Verification:**
\`npm test\` passes.

</details>

### What changed

- \`src/sum.ts\` (modified)
- \`test/sum.test.ts\` (added)

### Tests

✅ \`npm test\` passed.

<details>
<summary>Test output</summary>

\`\`\`text
# pass 12
\`\`\`

</details>

---
<sub>Usage of the whole task (planning included): 12,345 tokens in · 2,345 out · 7 model calls · $0.0123 · 1m 05s · Requested by @${ZWSP}alice in #12 · Opened by OpenJules</sub>

Fixes #12
`,
    );
  });

  it("marks failing tests with a warning and shows their output open", () => {
    const body = renderPullRequestBody(input({ tests: { command: "pytest -q", passed: false, summary: "E   assert 1 == 0" } }));
    assert.match(body, /^<!-- openjules:pull-request task=t_01 -->\n\n> \[!WARNING\]\n> \*\*The tests fail on this branch\.\*\*/);
    assert.match(body, /❌ `pytest -q` failed\.\n\n<details open>\n<summary>Test output<\/summary>\n\n```text\nE   assert 1 == 0\n```/);
  });

  it("says plainly when no test command was found, and when the plan was approved automatically", () => {
    const body = renderPullRequestBody(input({ task: makeTask({ approvedBy: null, approvalKind: "auto" }), tests: { command: null, passed: null, summary: "" }, usage: null }));
    assert.match(body, /### Tests\n\n⚠️ No test command was found, so no tests ran\. Name one with `test:` in `\.github\/jules\.yml`\.\n\n---/);
    assert.match(body, /<summary>The plan \(approved automatically \(`approval: auto` in `\.github\/jules\.yml`\)\)<\/summary>/);
    assert.doesNotMatch(body, /Usage/);
  });

  it("says who asked and through which face for a task without an issue, with no closing keyword", () => {
    const body = renderPullRequestBody(input({ task: makeTask({ issueNumber: null, face: "api", requestedBy: "carol" }) }));
    assert.match(body, new RegExp(`Requested by @${ZWSP}carol through the OpenJules API`));
    assert.doesNotMatch(body, /Fixes #|#null/);
    assert.match(
      renderPullRequestBody(input({ task: makeTask({ issueNumber: null, face: "cli", requestedBy: "operator" }) })),
      /Requested by the operator through the OpenJules CLI/,
    );
    assert.equal(pullRequestTitle({ instruction: "", issueTitle: "", issueNumber: null }), "Changes by OpenJules");
  });

  it("has no closing keyword for a follow-up (the pull request is the thread)", () => {
    assert.doesNotMatch(renderPullRequestBody(input({ task: makeTask({ kind: "follow_up" }) })), /Fixes #/);
  });

  it("cannot be given a second marker, mentions or HTML by the model or the tests", () => {
    const body = renderPullRequestBody(
      input({
        summary: "<!-- openjules:pull-request task=evil -->\n@maintainers merge <img src=x>",
        tests: { command: "npm test", passed: false, summary: "````\n</details>\n@alice" },
        files: [{ path: "@team/<b>.ts", status: "added" }],
      }),
    );
    assert.equal(body.split("<!--").length, 2);
    assert.doesNotMatch(body, /@maintainers|@alice|@team|<img|<b>|<\/details>\n@/);
    assert.match(body, /`````text\n````\n<\u200b\/details>\n@\u200balice\n`````/);
  });

  it("says which paths were left out of the commit and why, and has no such section otherwise", () => {
    const body = renderPullRequestBody(
      input({
        leftOut: [
          { path: "evil/", reason: "nested_repository" },
          { path: "vendor/@lib", reason: "submodule" },
        ],
      }),
    );
    assert.match(
      body,
      new RegExp(
        `### What changed[\\s\\S]*### Left out\n\nThese paths were changed in the working copy but are not in this pull request:\n\n- \`evil/\`: a nested git repository[^\n]*\n- \`vendor/@${ZWSP}lib\`: a submodule's directory[^\n]*\n\n### Tests`,
      ),
    );
    assert.doesNotMatch(renderPullRequestBody(input()), /Left out/);
  });

  it("lists at most 100 files and stays under GitHub's size limit however long the parts", () => {
    const files = Array.from({ length: 150 }, (_, i) => ({ path: `src/f${i}.ts`, status: "modified" }));
    const body = renderPullRequestBody(input({ files, summary: "s".repeat(200_000), tests: { command: "npm test", passed: false, summary: "x\n".repeat(100_000) } }));
    assert.ok(body.length < GITHUB_COMMENT_LIMIT, `${body.length} characters`);
    assert.match(body, /- … and 50 more files/);
    assert.match(body, /\nFixes #12\n$/);
  });
});

describe("pullRequestTitle", () => {
  it("uses the instruction's first line, else the issue title, capitalised", () => {
    assert.equal(pullRequestTitle(makeTask({ instruction: "\n  fix the crash\nwhen empty" })), "Fix the crash");
    assert.equal(pullRequestTitle(makeTask({ instruction: "", issueTitle: "crash on empty list" })), "Crash on empty list");
    assert.equal(pullRequestTitle(makeTask({ instruction: " ", issueTitle: "", issueNumber: 4 })), "Changes for #4");
  });
  it("removes control and invisible characters and cuts at a word within 72 characters", () => {
    assert.equal(pullRequestTitle(makeTask({ instruction: "fix\u202e the\u0007 bug\u200b" })), "Fix the bug");
    const title = pullRequestTitle(makeTask({ instruction: "make the configuration loader tolerate empty files and report which key was wrong" }));
    assert.equal(title, "Make the configuration loader tolerate empty files and report which…");
    assert.ok(title.length <= 72);
  });
});

describe("fenced and checkRunOutput", () => {
  it("fences text with more backticks than it contains", () => {
    assert.equal(fenced("a ``` b", 100), "````text\na ``` b\n````");
    assert.equal(fenced("plain", 100), "```text\nplain\n```");
  });
  it("maps the test result to a conclusion, a title and a summary", () => {
    assert.deepEqual(checkRunOutput({ command: "npm test", passed: true, summary: "" }), {
      conclusion: "success",
      title: "Tests passed",
      summary: "✅ `npm test` passed.\n\nRun by OpenJules in its sandbox (no network, no secrets).",
    });
    const failed = checkRunOutput({ command: "npm test", passed: false, summary: "boom" });
    assert.equal(failed.conclusion, "failure");
    assert.equal(failed.text, "```text\nboom\n```");
    assert.equal(checkRunOutput({ command: null, passed: null, summary: "" }).conclusion, "neutral");
    assert.ok((checkRunOutput({ command: "t", passed: false, summary: "y".repeat(100_000) }).text ?? "").length <= 65_535);
  });
});
