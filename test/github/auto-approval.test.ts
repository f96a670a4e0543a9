import { afterEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { AgentDouble } from "../helpers/agent-double.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/** `approval: auto` is recorded and shown as automatic, and never overrides the four-eyes rule (`approvers: others`). */
describe("approval: auto", () => {
  let app: TestApp;
  let agent: AgentDouble;
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
  });

  async function start(gh: GitHubMock) {
    const c = issueComment({ body: "/jules fix the crash" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();
    return (await app.store.findLatest("Codertocat", "Hello-World", 1))!;
  }

  it("approves the plan automatically, records no approver, and says so in the status", async () => {
    agent = new AgentDouble();
    app = await startTestApp({ agent });
    const yaml = "approval: auto\n";
    const gh = new GitHubMock();
    gh.token().config(yaml, 3).role("Codertocat", "admin").issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();
    const task = await start(gh);
    assert.equal(task.state, "done", JSON.stringify(task.failure));
    assert.equal(task.approvalKind, "auto");
    assert.equal(task.approvedBy, null, "nobody approved as a person");
    assert.equal(task.approvedPlanHash, task.planHash);
    const approved = (await app.store.history(task.id)).find((e) => e.to === "approved");
    assert.equal(approved?.reason, "approved automatically (approval: auto in .github/jules.yml)");
    assert.equal(agent.executeRequests.length, 1);
    const status = gh.edited().at(-1)!;
    assert.match(status, /approved automatically: `approval: auto` in `\.github\/jules\.yml`/);
    assert.doesNotMatch(status, /approved by/);
    gh.assertClean();
  });

  it("is ignored under approvers: others: the plan waits for someone else, and the plan comment says why", async () => {
    agent = new AgentDouble();
    app = await startTestApp({ agent });
    const yaml = "approval: auto\napprovers: others\n";
    const gh = new GitHubMock();
    gh.token().config(yaml, 2).role("Codertocat", "admin").issue(1, {}, 2).threadComments(1).comments(1, { times: 2 }).anyEdits();
    const task = await start(gh);
    assert.equal(task.state, "awaiting_approval");
    assert.equal(task.approvalKind, null);
    assert.equal(agent.executeRequests.length, 0);
    const plan = gh.posted().find((body) => body.includes("openjules:plan"))!;
    assert.match(plan, /`approval: auto` is ignored because `approvers: others`/);
    assert.match(plan, /Four-eyes rule/);

    gh.config(yaml).role("Codertocat", "admin").comments(1);
    const own = issueComment({ body: "/approve", login: "Codertocat" });
    gh.reaction(own.comment.id);
    await app.receive("issue_comment", own);
    await app.settle();
    assert.equal((await app.store.get(task.id))?.state, "awaiting_approval");
    assert.match(gh.posted().at(-1)!, /four-eyes/);

    gh.config(yaml, 2).role("hubot", "write").issue(1).identity();
    const other = issueComment({ body: "/approve", login: "hubot" });
    gh.reaction(other.comment.id);
    await app.receive("issue_comment", other);
    await app.settle();
    const done = await app.store.get(task.id);
    assert.equal(done?.state, "done");
    assert.equal(done?.approvalKind, "person");
    assert.equal(done?.approvedBy, "hubot");
    gh.assertClean();
  });
});
