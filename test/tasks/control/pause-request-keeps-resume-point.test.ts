import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { requestedPause, resumePoint } from "../../../src/tasks/pause.ts";
import { operator, taskIn, withHarness } from "./harness.ts";

/**
 * A pause asked for while a resumed run works must not lose the pause that run went on from: until the run has
 * paused again (and written its own, cumulative summary), a restarted execution resumes from the earlier one.
 */
describe("a pause request on a resumed task", () => {
  const h = withHarness();

  it("keeps the completed pause it went on from, so a restart before it pauses still resumes from there", async () => {
    const task = await taskIn(h(), "working", {}, { pause: { cause: "cost", reason: "reached $2", at: new Date().toISOString(), checkpointSha: "abc123", summary: "did half" } });
    const asked = await h().plane.pause(operator("cli"), task.id, { reason: "lunch" });
    assert.ok(asked.ok);
    assert.equal(asked.value.pause?.summary, null);
    assert.deepEqual(asked.value.pause?.resumedFrom, { summary: "did half", checkpointSha: "abc123" });
    const stored = await h().deps.store.get(task.id);
    assert.deepEqual(resumePoint(stored!), { summary: "did half", checkpointSha: "abc123", branch: stored!.branch });
  });

  it("has no resume point for a first run's request", async () => {
    const task = await taskIn(h(), "working");
    const asked = await h().plane.pause(operator("cli"), task.id, {});
    assert.ok(asked.ok);
    assert.equal(asked.value.pause?.resumedFrom, undefined);
    assert.equal(resumePoint(asked.value), null);
  });

  it("carries the earlier point forward when asked again over a request (pure)", () => {
    const first = requestedPause("a", new Date(0), { cause: "turns", reason: "r", at: "t", checkpointSha: null, summary: "s1" });
    const again = requestedPause("b", new Date(1), first);
    assert.deepEqual(again.resumedFrom, { summary: "s1", checkpointSha: null });
  });
});
