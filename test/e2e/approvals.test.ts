/**
 * Concurrent approvals over real HTTP: two writers approve the same plan at
 * the same moment (and one approval is redelivered under a second delivery
 * id). The plan is executed once; the approval that lost is answered with
 * one short reply.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "vitest";
import { AgentDouble } from "../helpers/agent-double.ts";
import { mockApproval, mockExecution, mockPlanning, mockTrigger } from "../helpers/conversation-mocks.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { deliver } from "../helpers/signed-delivery.ts";
import { startTestApp, WEBHOOK_SECRET, type TestApp } from "../helpers/test-app.ts";

describe("approvals arriving together", { timeout: 120_000 }, () => {
  let app: TestApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
    GitHubMock.reset();
  });

  it("executes the plan once when two writers approve it concurrently", async () => {
    const agent = new AgentDouble();
    app = await startTestApp({ agent, server: true, env: { JULES_WORKER_CONCURRENCY: "4" } });
    const url = app.webhookUrl!;
    const gh = new GitHubMock().token().anyEdits();
    const start = issueComment({ body: "/jules fix it", login: "Codertocat" });
    mockPlanning(mockTrigger(gh, { commentId: start.comment.id }));
    assert.equal((await deliver(url, { name: "issue_comment", payload: start, secret: WEBHOOK_SECRET })).status, 200);
    await app.settle();
    const waiting = await app.store.findActive("Codertocat", "Hello-World", 1);
    assert.equal(waiting?.state, "awaiting_approval");

    const first = issueComment({ body: "/approve", login: "hubot" });
    const second = issueComment({ body: "/approve looks right", login: "octocat" });
    mockApproval(gh, { commentId: first.comment.id, login: "hubot", role: "write" });
    mockApproval(gh, { commentId: second.comment.id, login: "octocat", role: "maintain" });
    mockExecution(gh).comments(1); // one execution; one reply to the approval that lost
    const answers = await Promise.all([
      deliver(url, { name: "issue_comment", payload: first, secret: WEBHOOK_SECRET }),
      deliver(url, { name: "issue_comment", payload: second, secret: WEBHOOK_SECRET }),
      deliver(url, { name: "issue_comment", payload: first, secret: WEBHOOK_SECRET }), // GitHub redelivering the first
    ]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200],
    );
    await app.settle();

    const task = await app.store.get(waiting!.id);
    assert.equal(task?.state, "done");
    assert.equal(agent.executeRequests.length, 1, "the plan ran once");
    assert.equal(app.delivery.inputs.length, 1, "one pull request");
    assert.ok(["hubot", "octocat"].includes(task?.approvedBy ?? ""), `approved by ${task?.approvedBy}`);
    assert.equal((await app.store.history(task!.id)).filter((e) => e.to === "approved").length, 1);
    const posted = gh.posted();
    assert.equal(posted.length, 3, "status, plan, and one reply");
    assert.match(posted[2]!, /already approved by @?(hubot|octocat)|no plan waiting for approval|nothing to approve|no active task/i);
    gh.assertClean();
  });
});
