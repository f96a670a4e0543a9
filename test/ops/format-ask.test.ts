import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { formatTaskDetail } from "../../src/ops/cli/format.ts";
import { makeTask } from "../render/fixtures.ts";

describe("the CLI's task detail", () => {
  it("names a question (kind ask) as one, and the other kinds as before", () => {
    const links = { issue: null, plan: null, pullRequest: null };
    const first = (kind: "ask" | "issue" | "follow_up") => formatTaskDetail({ task: makeTask({ kind }), history: [], links }).split("\n")[0];
    assert.equal(first("ask"), "Task t_01 (question)");
    assert.equal(first("issue"), "Task t_01 (issue)");
    assert.equal(first("follow_up"), "Task t_01 (follow-up)");
  });
});
