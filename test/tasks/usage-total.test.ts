import assert from "node:assert/strict";
import { afterEach, describe, it } from "vitest";
import { renderPullRequestBody } from "../../src/render/pull-request.ts";
import { renderUsage } from "../../src/render/usage.ts";
import { AgentDouble } from "../helpers/agent-double.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { deliverIssueOne } from "../helpers/delivered-task.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/** The PR body and the status comment count the same usage: the whole task's, planning included. */
describe("usage of a task", () => {
  let app: TestApp;
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
  });

  it("gives the pull request the whole task's usage (planning and execution), as the status comment counts it", async () => {
    const agent = new AgentDouble();
    app = await startTestApp({ agent });
    const { gh, origin: done } = await deliverIssueOne(app);
    const one = agent.outcome.usage;
    assert.equal(done?.usage?.calls, 2 * one.calls, "the status counts planning and execution");
    const input = app.delivery.inputs[0]!;
    assert.deepEqual(input.usage, done?.usage, "the pull request is given the same count");
    const body = renderPullRequestBody({ task: input.task, plan: input.plan, summary: "s", tests: input.outcome.tests, files: [], usage: input.usage });
    assert.ok(body.includes(`Usage of the whole task (planning included): ${renderUsage(done!.usage!)}`), body);
    gh.assertClean();
  });
});
