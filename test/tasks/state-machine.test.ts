import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { TASK_STATES, type TaskState } from "../../src/domain/model.ts";
import { assertTransition, canTransition, IllegalTransitionError, isTerminal } from "../../src/domain/state-machine.ts";

describe("task state machine", () => {
  it("walks the happy path", () => {
    const path: TaskState[] = ["queued", "planning", "awaiting_approval", "revising", "awaiting_approval", "approved", "working", "testing", "working", "testing", "done"];
    for (let i = 1; i < path.length; i++) assertTransition(path[i - 1]!, path[i]!);
  });

  it("rejects illegal moves with a clear error", () => {
    for (const [from, to] of [
      ["queued", "working"],
      ["planning", "working"],
      ["awaiting_approval", "working"],
      ["approved", "done"],
      ["done", "failed"],
      ["cancelled", "queued"],
      ["failed", "planning"],
    ] as [TaskState, TaskState][]) {
      assert.equal(canTransition(from, to), false, `${from} → ${to}`);
      assert.throws(
        () => assertTransition(from, to),
        (e: unknown) => e instanceof IllegalTransitionError && e.message.includes(`"${from}" to "${to}"`),
      );
    }
  });

  it("lets every live state fail or be cancelled, and no terminal state move", () => {
    for (const s of TASK_STATES) {
      assert.equal(canTransition(s, "failed"), !isTerminal(s));
      assert.equal(canTransition(s, "cancelled"), !isTerminal(s));
      if (isTerminal(s)) for (const t of TASK_STATES) assert.equal(canTransition(s, t), false);
    }
  });

  it("gives a question (kind ask) only its own moves: answered from planning, never approved or worked on", () => {
    const ask = "ask" as const;
    assertTransition("queued", "planning", ask);
    assertTransition("planning", "done", ask);
    for (const s of TASK_STATES) {
      for (const t of TASK_STATES) {
        const allowed = !isTerminal(s) && (t === "failed" || t === "cancelled" || (s === "queued" && t === "planning") || (s === "planning" && t === "done"));
        assert.equal(canTransition(s, t, ask), allowed, `${s} → ${t}`);
      }
    }
    for (const to of ["awaiting_approval", "approved", "working", "testing", "paused"] as TaskState[]) {
      assert.throws(
        () => assertTransition("planning", to, ask),
        (e: unknown) => e instanceof IllegalTransitionError && /question/.test(e.message),
      );
    }
    // Other kinds keep every move they had.
    assert.equal(canTransition("planning", "awaiting_approval", "issue"), true);
    assert.equal(canTransition("queued", "approved", "follow_up"), true);
  });
});
