import assert from "node:assert/strict";
import { describe, expect, it } from "vitest";
import { renderPlan } from "../../src/render/plan.ts";
import { makeTask, PLAN } from "./fixtures.ts";

/** The plan comment's cost line (issue 11): the estimate of carrying out the plan next to the cost budget, as file snapshots. */
describe("renderPlan: the estimated cost", () => {
  const plan = (cost?: { estimateUsd: number | null; budgetUsd: number }) =>
    renderPlan({ task: makeTask({ state: "awaiting_approval" }), plan: PLAN, hash: "0123456789abcdef", version: 1, command: "jules", approvers: "writers", cost });

  it("shows the estimate next to the budget, after how the plan will be verified", async () => {
    const text = plan({ estimateUsd: 0.4213, budgetUsd: 5 });
    assert.match(text, /#### How it will be verified\n`npm test` passes\.\n\nEstimated cost of carrying out this plan: ~\$0\.42 \(budget \$5\.00\)\.\n\n---/);
    await expect(text).toMatchFileSnapshot("./__snapshots__/plan-cost.md");
  });

  it("says when the estimate is over the budget that the work then pauses, keeping what is done", async () => {
    const text = plan({ estimateUsd: 7.5, budgetUsd: 2 });
    assert.match(text, /~\$7\.50 \(budget \$2\.00\)\. It may not fit the budget: the work pauses when it reaches the budget, keeping what is done, and can be resumed with more\./);
    await expect(text).toMatchFileSnapshot("./__snapshots__/plan-cost-over-budget.md");
  });

  it("says the cost is not known without a price for the model, and shows no line without an estimate", () => {
    assert.match(plan({ estimateUsd: null, budgetUsd: 5 }), /Estimated cost of carrying out this plan: not known, as no price is known for this model \(budget \$5\.00\)\./);
    assert.doesNotMatch(plan(), /Estimated cost/);
  });
});
