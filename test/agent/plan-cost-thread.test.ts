import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "vitest";
import { AgentDouble, samplePlan } from "../helpers/agent-double.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/** The plan's cost estimate, as the agent gives it with the plan, is stored on the task and shown in the plan comment (real Probot, GitHub mocked over HTTP). */
describe("the cost estimate of a plan in the thread", () => {
  let app: TestApp;
  let agent: AgentDouble;
  beforeEach(async () => {
    agent = new AgentDouble();
    app = await startTestApp({ agent });
  });
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
  });

  it("stores task.costEstimateUsd with the plan and writes it next to the budget", async () => {
    const usage = { inputTokens: 40_000, outputTokens: 1_200, calls: 4, wallMs: 9_000, costUsd: 0.138 };
    agent.plans.push({ kind: "plan", plan: samplePlan(), usage, cost: { estimateUsd: 0.5, budgetUsd: 3 } });
    const gh = new GitHubMock();
    gh.token().config(null, 2).role("Codertocat", "admin").issue(1, {}, 2).threadComments(1).comments(1, { times: 2 }).anyEdits();
    const start = issueComment({ body: "/jules fix the crash when the config file is empty" });
    gh.reaction(start.comment.id);
    await app.receive("issue_comment", start);
    await app.settle();

    const task = await app.store.findActive("Codertocat", "Hello-World", 1);
    assert.equal(task?.state, "awaiting_approval");
    assert.equal(task?.costEstimateUsd, 0.5);
    const plan = gh.posted().find((body) => body.includes("openjules:plan"));
    assert.match(plan ?? "", /Estimated cost of carrying out this plan: ~\$0\.50 \(budget \$3\.00\)\./);
  });
});
