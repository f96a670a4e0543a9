/**
 * GitHub misbehaving, end to end: a 500 on the status comment and a
 * secondary rate limit (403 with `retry-after`) on the plan comment are
 * retried by the worker, each comment lands once, and the task goes on.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "vitest";
import { AgentDouble } from "../helpers/agent-double.ts";
import { mockPlanning, mockTrigger } from "../helpers/conversation-mocks.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { deliver } from "../helpers/signed-delivery.ts";
import { startTestApp, WEBHOOK_SECRET, type TestApp } from "../helpers/test-app.ts";
import { within } from "../helpers/within.ts";

describe("when GitHub fails or rate-limits a write", { timeout: 120_000 }, () => {
  let app: TestApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
    GitHubMock.reset();
  });

  it("retries a 500 on the status comment and a 403 secondary rate limit on the plan comment, then proceeds", async () => {
    const agent = new AgentDouble();
    app = await startTestApp({ agent, server: true });
    const gh = new GitHubMock().token().anyEdits();
    const start = issueComment({ body: "/jules fix the crash", login: "Codertocat" });
    mockTrigger(gh, { commentId: start.comment.id, statusFailures: [{ status: 500 }] });
    mockPlanning(gh, { planFailures: [{ status: 403, headers: { "retry-after": "1" } }] });

    assert.equal((await deliver(app.webhookUrl!, { name: "issue_comment", payload: start, secret: WEBHOOK_SECRET })).status, 200);
    await within(60_000, app.settle(), "the task never settled after GitHub's errors");

    const task = await app.store.findActive("Codertocat", "Hello-World", 1);
    assert.equal(task?.state, "awaiting_approval");
    assert.ok(task?.statusCommentId && task.planCommentId && task.statusCommentId !== task.planCommentId);
    const attempts = gh.requests.filter((r) => r.method === "POST" && /\/issues\/1\/comments$/.test(r.path)).map((r) => (r.body as { body: string }).body);
    assert.equal(attempts.length, 4, "each comment was sent twice: refused once, then accepted");
    assert.match(attempts[0]!, /openjules:status/);
    assert.equal(attempts[1], attempts[0], "the status comment was retried as it was");
    assert.match(attempts[2]!, /openjules:plan/);
    assert.equal(attempts[3], attempts[2], "the plan comment was retried as it was");
    assert.equal(agent.planRequests.length, 1, "a refused comment does not re-run the agent");
    gh.assertClean();
  });
});
