import assert from "node:assert/strict";
import { describe, it } from "vitest";
import type { TestReport } from "../../src/domain/test-report.ts";
import { checkRunOutput, renderPullRequestBody } from "../../src/render/pull-request.ts";
import { renderStatus } from "../../src/render/status.ts";
import { event, makeTask, NOW, PLAN } from "./fixtures.ts";

/** How a broken environment reads: a failed setup in the status, a missing tool in the pull request and the check run. */
describe("render: environment problems", () => {
  it("shows a failed setup's command, the tail of its output as a block, and what to do", () => {
    const task = makeTask({
      state: "failed",
      plan: PLAN,
      planVersion: 1,
      failure: {
        phase: "working",
        reason: "The setup command `npm ci` failed (exit code 1; network: public hosts only), so the agent did not start.",
        hint: "Fix `setup:` in .github/jules.yml (or what it installs from).",
        output: "npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-pad-x\n```\nnpm ERR! code E404\n\nFull output (81 lines): the task's transcript.",
      },
    });
    const body = renderStatus({ task, now: NOW, command: "jules", links: {}, events: [event("approved", "working"), event("working", "failed")] });
    const tail = body.slice(body.indexOf("**What happened:**"));
    assert.equal(
      tail,
      [
        "**What happened:** The setup command `npm ci` failed (exit code 1; network: public hosts only), so the agent did not start.",
        "````text",
        "npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-pad-x",
        "```",
        "npm ERR! code E404",
        "",
        "Full output (81 lines): the task's transcript.",
        "````",
        "**What you can do:** Fix `setup:` in .github/jules.yml (or what it installs from).",
        "",
      ].join("\n"),
    );
  });

  const missing: TestReport = {
    command: "pnpm test",
    passed: null,
    summary: "could not run (exit code 127)\n/bin/sh: 1: pnpm: not found",
    environment: {
      problem: "`pnpm` is not installed where OpenJules runs the repository's commands (exit code 127: /bin/sh: 1: pnpm: not found).",
      hint: "Install it on the worker.",
    },
  };

  it("says in the pull request that the tests could not run and how to fix the environment, without marking it failing", () => {
    const body = renderPullRequestBody({ task: makeTask({ plan: PLAN, approvedBy: "bob" }), plan: PLAN, summary: "Done.", tests: missing, files: [], usage: null });
    assert.doesNotMatch(body, /The tests fail on this branch/);
    assert.match(
      body,
      /### Tests\n\n⚠️ `pnpm test` could not run: `pnpm` is not installed where OpenJules runs the repository's commands \(exit code 127: \/bin\/sh: 1: pnpm: not found\)\.\n\n\*\*To fix the environment:\*\* Install it on the worker\.\n\n<details>\n<summary>Test output<\/summary>/,
    );
  });

  it("makes the check run neutral, titled 'Tests could not run', with the fix", () => {
    const output = checkRunOutput(missing);
    assert.equal(output.conclusion, "neutral");
    assert.equal(output.title, "Tests could not run");
    assert.equal(
      output.summary,
      "⚠️ `pnpm test` could not run: `pnpm` is not installed where OpenJules runs the repository's commands (exit code 127: /bin/sh: 1: pnpm: not found).\n\n**To fix the environment:** Install it on the worker.\n\nRun by OpenJules in its sandbox (no network, no secrets).",
    );
  });
});
