/** Which buttons the task page shows: from the state, and none at all for a caller who may not write. */
import { describe, expect, it } from "vitest";
import { TASK_STATES, type TaskState } from "../../src/domain/model.ts";
import { allowedActions, canWrite } from "../../web/src/task-actions.ts";

const task = (state: TaskState, pr = false) => ({ state, pullRequestNumber: pr ? 7 : null, branch: pr ? "jules/x" : null });
const sorted = (set: Set<string>) => [...set].sort();

describe("allowedActions", () => {
  it("follows what the control plane accepts in each state", () => {
    expect(sorted(allowedActions(task("awaiting_approval"), true))).toEqual(["approve", "cancel", "revise"]);
    expect(sorted(allowedActions(task("working"), true))).toEqual(["cancel", "message", "pause"]);
    expect(sorted(allowedActions(task("testing"), true))).toEqual(["cancel", "message", "pause"]);
    expect(sorted(allowedActions(task("paused"), true))).toEqual(["cancel", "message", "resume"]);
    expect(sorted(allowedActions(task("queued"), true))).toEqual(["cancel"]);
    expect(sorted(allowedActions(task("planning"), true))).toEqual(["cancel"]);
    expect(sorted(allowedActions(task("failed"), true))).toEqual(["retry"]);
    expect(sorted(allowedActions(task("cancelled"), true))).toEqual(["retry"]);
    expect(sorted(allowedActions(task("done"), true))).toEqual([]);
    expect(sorted(allowedActions(task("done", true), true))).toEqual(["message"]);
  });

  it("shows no button in any state to a caller without write", () => {
    for (const state of TASK_STATES) expect(allowedActions(task(state, true), false).size, state).toBe(0);
  });
});

describe("canWrite", () => {
  it("takes the API's permissions.write when it is given", () => {
    expect(canWrite({ permissions: { write: true } }, { operator: false })).toBe(true);
    expect(canWrite({ permissions: { write: false } }, { operator: true })).toBe(false);
  });

  it("without it, lets only the operator write", () => {
    expect(canWrite({}, { operator: true })).toBe(true);
    expect(canWrite({}, { operator: false })).toBe(false);
    expect(canWrite({}, null)).toBe(false);
    expect(canWrite({ permissions: { write: "yes" } as never }, { operator: false })).toBe(false);
  });
});
