import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { answersCurrentPlan } from "../../src/domain/approval-order.ts";

/** Which plan an approval answers, from GitHub's ordering alone. */
describe("answersCurrentPlan", () => {
  const plan = { id: 1000, createdAt: "2024-05-01T12:00:00Z" };

  it("orders issue comments by id, whatever their timestamps say", () => {
    assert.equal(answersCurrentPlan(plan, { source: "issue", id: 1001, createdAt: "2020-01-01T00:00:00Z" }), true);
    assert.equal(answersCurrentPlan(plan, { source: "issue", id: 999, createdAt: "2030-01-01T00:00:00Z" }), false);
  });

  for (const source of ["review", "review_comment"] as const) {
    it(`orders a pull request ${source} by GitHub's created_at, the same second counting as after`, () => {
      // Ids of reviews and review comments are other sequences: a smaller one says nothing.
      assert.equal(answersCurrentPlan(plan, { source, id: 5, createdAt: "2024-05-01T12:00:00Z" }), true);
      assert.equal(answersCurrentPlan(plan, { source, id: 5, createdAt: "2024-05-01T12:00:00.900Z" }), true);
      assert.equal(answersCurrentPlan(plan, { source, id: 5_000_000, createdAt: "2024-05-01T11:59:59Z" }), false);
      assert.equal(answersCurrentPlan(plan, { source, id: 5, createdAt: "2024-05-01T12:00:01Z" }), true);
    });

    it(`refuses a ${source} when the plan comment's time is unknown (a task from before it was kept) or unreadable`, () => {
      assert.equal(answersCurrentPlan({ id: 1000, createdAt: null }, { source, id: 5, createdAt: "2024-05-01T12:00:00Z" }), false);
      assert.equal(answersCurrentPlan(plan, { source, id: 5, createdAt: "not a time" }), false);
    });
  }

  it("falls back to created_at for an issue comment when the plan comment id is unknown", () => {
    assert.equal(answersCurrentPlan({ id: null, createdAt: plan.createdAt }, { source: "issue", id: 1, createdAt: "2024-05-01T12:00:00Z" }), true);
    assert.equal(answersCurrentPlan({ id: null, createdAt: plan.createdAt }, { source: "issue", id: 1, createdAt: "2024-05-01T11:00:00Z" }), false);
  });
});
