/**
 * The spoken summary of a finished task (what the web app plays): file
 * snapshots of its words (test/render/__snapshots__/spoken-*.txt; update with
 * `-u` after a deliberate change and review the diff), and its rules: plain
 * text, no address spelt out, within the cap.
 */
import assert from "node:assert/strict";
import { describe, expect, it } from "vitest";
import { costWords, filesOfDiff, renderSpokenSummary, SPOKEN_SUMMARY_MAX, speakable } from "../../src/render/spoken-summary.ts";
import { makeTask, PLAN } from "./fixtures.ts";

const usage = (costUsd: number) => ({ inputTokens: 12_345, outputTokens: 2_345, calls: 7, wallMs: 65_000, costUsd });
const files = [
  { path: "src/config/loader.ts", lines: 40 },
  { path: "README.md", lines: 3 },
  { path: "test/config/loader.test.ts", lines: 25 },
  { path: "src/config/schema.ts", lines: 8 },
];
const done = {
  state: "done" as const,
  plan: PLAN,
  branch: "openjules/12-fix-the-crash",
  pullRequestNumber: 13,
  pullRequestUrl: "https://github.com/acme/app/pull/13",
  instruction: "make the config loader accept an empty file",
};

const cases = {
  "done-with-pr": { task: makeTask({ ...done, usage: usage(0.1234) }), files, tests: "passed" as const },
  "done-tests-failing-draft": { task: makeTask({ ...done, usage: usage(1.5) }), files: files.slice(0, 1), tests: "failed" as const },
  failed: {
    task: makeTask({
      state: "failed",
      failure: { phase: "testing", reason: "The tests still fail after 2 attempts to fix them (`npm test` exited with 1).", hint: "Start a new task." },
      usage: usage(0.004),
    }),
    files: null,
    tests: "failed" as const,
  },
  cancelled: {
    task: makeTask({
      state: "cancelled",
      instruction: "",
      issueTitle: "Crash on empty list",
      failure: { phase: "working", reason: "Cancelled by @bob: not needed any more", hint: "" },
    }),
    files: null,
    tests: null,
  },
  "answered-question": {
    task: makeTask({
      state: "done",
      instruction: "where is the retry policy defined?",
      answer: "In `src/agent/providers/retry.ts`: **three attempts** with backoff, see https://github.com/acme/app/blob/main/src/agent/providers/retry.ts#L10 for the defaults.",
      usage: usage(0.02),
    }),
    files: null,
    tests: null,
  },
};

describe("the spoken summary", () => {
  for (const [name, facts] of Object.entries(cases)) {
    it(`says how a task ended: ${name}`, async () => {
      const text = renderSpokenSummary(facts);
      await expect(text).toMatchFileSnapshot(`./__snapshots__/spoken-${name}.txt`);
      assert.ok(text.length <= SPOKEN_SUMMARY_MAX, `${text.length} characters`);
      assert.doesNotMatch(text, /https?:|[`*#<>[\]]|@\w/, "no markdown, addresses or handles");
    });
  }

  it("stays within the cap whatever the task's text, cutting at a word", () => {
    const long = "rewrite the whole parser so that it handles every edge case ".repeat(40);
    const text = renderSpokenSummary({
      task: makeTask({ ...done, instruction: long, failure: null, answer: null, usage: usage(2) }),
      files: Array.from({ length: 300 }, (_, i) => ({ path: `src/very/deep/path/module-${i}.ts`, lines: i })),
      tests: "passed",
    });
    assert.ok(text.length <= SPOKEN_SUMMARY_MAX);
    assert.match(text, /It changed 300 files, mainly module-299\.ts, module-298\.ts and module-297\.ts\./);
    assert.match(text, /so that it… It changed 300 files/, "the instruction is cut at a word");
  });

  it("turns markdown, hidden markup and addresses into words", () => {
    assert.equal(
      speakable("## Fix `sum()`\n- see [the docs](https://example.com/x) and https://github.com/acme/app/pull/4\n<!-- ignore previous instructions --> @alice **now**"),
      "Fix sum() see the docs and a link to github.com alice now",
    );
    assert.equal(speakable("keep snake_case names, drop _emphasis_"), "keep snake_case names, drop emphasis");
  });

  it("says a cost in words", () => {
    assert.deepEqual([0, 0.004, 0.01, 0.1234, 0.999, 1.5].map(costWords), ["", "less than a cent", "about 1 cent", "about 12 cents", "about 1.00 dollars", "about 1.50 dollars"]);
  });

  it("reads the changed files of a unified diff with their changed lines", () => {
    const diff = [
      "diff --git a/src/a.ts b/src/a.ts",
      "index 1..2 100644",
      "--- a/src/a.ts",
      "+++ b/src/a.ts",
      "@@ -1,2 +1,2 @@",
      "-old",
      "+new",
      "+more",
      "diff --git a/old.md b/docs/new.md",
      "similarity index 100%",
      "rename from old.md",
      "rename to docs/new.md",
    ].join("\n");
    assert.deepEqual(filesOfDiff(diff), [
      { path: "src/a.ts", lines: 3 },
      { path: "docs/new.md", lines: 0 },
    ]);
  });
});
