import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { phaseChecklist, stoppedAt } from "../../src/render/phases.ts";
import type { Task } from "../../src/domain/model.ts";
import { event, makeTask, PLAN } from "./fixtures.ts";

const statuses = (task: Task, events = [] as Parameters<typeof phaseChecklist>[1]) =>
  phaseChecklist(task, events)
    .map((i) => `${i.phase}:${i.status}`)
    .join(" ");

describe("phaseChecklist", () => {
  it("marks the current phase of each live state", () => {
    assert.equal(statuses(makeTask({ state: "queued" })), "queued:current planning:pending approval:pending working:pending testing:pending pull_request:pending");
    assert.equal(statuses(makeTask({ state: "planning" })), "queued:done planning:current approval:pending working:pending testing:pending pull_request:pending");
    assert.equal(statuses(makeTask({ state: "revising", plan: PLAN })), "queued:done planning:current approval:pending working:pending testing:pending pull_request:pending");
    assert.equal(statuses(makeTask({ state: "awaiting_approval", plan: PLAN })), "queued:done planning:done approval:current working:pending testing:pending pull_request:pending");
    assert.equal(
      statuses(makeTask({ state: "working", plan: PLAN, approvedBy: "bob" })),
      "queued:done planning:done approval:done working:current testing:pending pull_request:pending",
    );
    assert.equal(
      statuses(makeTask({ state: "testing", plan: PLAN, approvedBy: "bob" })),
      "queued:done planning:done approval:done working:done testing:current pull_request:pending",
    );
  });

  it("shows an approval without an approver as skipped (automatic)", () => {
    assert.equal(statuses(makeTask({ state: "approved", plan: PLAN })), "queued:done planning:done approval:skipped working:current testing:pending pull_request:pending");
  });

  it("ticks everything when a pull request was opened, and skips it when only a branch was pushed", () => {
    const done = makeTask({ state: "done", plan: PLAN, approvedBy: "bob", pullRequestNumber: 3 });
    assert.equal(statuses(done), "queued:done planning:done approval:done working:done testing:done pull_request:done");
    assert.equal(statuses({ ...done, pullRequestNumber: null, branch: "jules/1-x" }), "queued:done planning:done approval:done working:done testing:done pull_request:skipped");
  });

  it("skips everything after an answer", () => {
    assert.equal(
      statuses(makeTask({ state: "done", answer: "It is in README." })),
      "queued:done planning:done approval:skipped working:skipped testing:skipped pull_request:skipped",
    );
  });

  it("marks where a failed or cancelled task stopped, from its history first", () => {
    const failed = makeTask({ state: "failed", plan: PLAN, approvedBy: "bob", failure: { phase: "planning", reason: "r", hint: "h" } });
    assert.equal(
      statuses(failed, [event("working", "testing"), event("testing", "failed")]),
      "queued:done planning:done approval:done working:done testing:failed pull_request:pending",
    );
    assert.equal(
      statuses(makeTask({ state: "cancelled", plan: PLAN }), [event("awaiting_approval", "cancelled", "bob")]),
      "queued:done planning:done approval:cancelled working:pending testing:pending pull_request:pending",
    );
  });
});

describe("stoppedAt without history", () => {
  it("reads the failure's phase words", () => {
    const at = (phase: string) => stoppedAt(makeTask({ state: "failed", failure: { phase, reason: "r", hint: "h" } }));
    assert.equal(at("planning"), "planning");
    assert.equal(at("tests"), "testing");
    assert.equal(at("pushing the branch"), "pull_request");
    assert.equal(at("opening the pull request"), "pull_request");
    assert.equal(at("working on the changes"), "working");
    assert.equal(at("approval"), "approval");
  });

  it("falls back on the task's fields", () => {
    assert.equal(stoppedAt(makeTask({ state: "failed" })), "planning");
    assert.equal(stoppedAt(makeTask({ state: "failed", failure: { phase: "workspace", reason: "clone failed", hint: "h" } })), "planning");
    assert.equal(stoppedAt(makeTask({ state: "cancelled", plan: PLAN })), "approval");
    assert.equal(
      stoppedAt(makeTask({ state: "failed", plan: PLAN, approvedBy: "bob", approvedPlanHash: "h", failure: { phase: "workspace", reason: "r", hint: "h" } })),
      "working",
    );
  });
});
