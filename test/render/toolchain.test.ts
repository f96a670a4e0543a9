import assert from "node:assert/strict";
import { describe, it } from "vitest";
import type { TestReport } from "../../src/domain/test-report.ts";
import { checkRunOutput, testVerdict } from "../../src/render/pull-request.ts";

/** The Node the tests ran on, in the pull request and the check run, when the repository declares one. */
describe("render: the toolchain the tests ran on", () => {
  const passed: TestReport = { command: "npm test", passed: true, summary: "passed (exit code 0)", toolchain: "Node 22.11.0 (from .nvmrc: 22; installed into the task's HOME)" };

  it("names the Node and why after the verdict", () => {
    assert.equal(
      checkRunOutput(passed).summary,
      "✅ `npm test` passed.\n\nRan on Node 22.11.0 (from .nvmrc: 22; installed into the task's HOME).\n\nRun by OpenJules in its sandbox (no network, no secrets).",
    );
  });

  it("keeps the environment problem's fix, and says nothing when no Node was declared", () => {
    const problem: TestReport = {
      command: "npm test",
      passed: null,
      summary: "failed, with a toolchain that does not meet the repository's declaration (exit code 1)",
      environment: { problem: "Node 99 could not be installed into the task's environment.", hint: "Declare a Node version that exists." },
      toolchain: "Node 20.20.2 (the sandbox's own; .nvmrc asks for 99, which could not be installed)",
    };
    assert.match(
      checkRunOutput(problem).summary,
      /^⚠️ `npm test` could not run: Node 99 could not be installed into the task's environment\.\n\n\*\*To fix the environment:\*\* Declare a Node version that exists\.\n\nRan on Node 20\.20\.2 \(the sandbox's own; \.nvmrc asks for 99, which could not be installed\)\.\n\n/,
    );
    assert.equal(testVerdict({ command: "npm test", passed: true, summary: "" }), "✅ `npm test` passed.");
    assert.doesNotMatch(checkRunOutput({ command: "npm test", passed: true, summary: "" }).summary, /Ran on/);
  });
});
