import { afterEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { AgentDouble } from "../helpers/agent-double.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueClosed, issueComment } from "../helpers/payloads.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/** After the plan: who may approve, revise, cancel; ties between approval and plan; status. */
describe("approving, revising and cancelling a plan", () => {
  let app: TestApp;
  let agent: AgentDouble;
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
  });

  /** A task started by Codertocat (admin) and waiting for approval; `yaml` is .github/jules.yml (null: none). */
  async function planned(yaml: string | null = null) {
    agent = new AgentDouble();
    app = await startTestApp({ agent });
    const gh = new GitHubMock();
    gh.token().config(yaml, 2).role("Codertocat", "admin").issue(1, {}, 2).threadComments(1).comments(1, { times: 2 }).anyEdits();
    const c = issueComment({ body: "/jules fix the crash" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();
    const task = await app.store.findActive("Codertocat", "Hello-World", 1);
    assert.equal(task?.state, "awaiting_approval");
    return { gh, task: task! };
  }

  async function comment(gh: GitHubMock, body: string, login: string, extra: Partial<Parameters<typeof issueComment>[0]> = {}) {
    const c = issueComment({ body, login, ...extra });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    return c;
  }

  for (const role of ["triage", "read"]) {
    it(`refuses /approve from a ${role} user and leaves the plan waiting`, async () => {
      const { gh, task } = await planned();
      gh.config(null).role("mona", role).comments(1);
      await comment(gh, "/approve", "mona");
      await app.settle();
      assert.equal((await app.store.get(task.id))?.state, "awaiting_approval");
      assert.match(gh.posted().at(-1)!, /mona/);
      assert.equal(agent.executeRequests.length, 0);
      gh.assertClean();
    });
  }

  for (const role of ["maintain", "write"]) {
    it(`lets a ${role} user approve`, async () => {
      const { gh, task } = await planned();
      gh.config(null, 2).role("hubot", role).issue(1).identity();
      await comment(gh, "/jules approve ship it", "hubot");
      await app.settle();
      const done = await app.store.get(task.id);
      assert.equal(done?.state, "done");
      assert.equal(done?.approvedBy, "hubot");
      assert.equal(done?.approvedPlanHash, task.planHash);
      assert.equal(agent.executeRequests.length, 1);
      gh.assertClean();
    });
  }

  it("enforces four eyes (approvers: others): the person who asked cannot approve their own plan", async () => {
    const yaml = "approvers: others\n";
    const { gh, task } = await planned(yaml);
    gh.config(yaml).role("Codertocat", "admin").comments(1);
    await comment(gh, "/approve", "Codertocat");
    await app.settle();
    assert.equal((await app.store.get(task.id))?.state, "awaiting_approval");
    assert.match(gh.posted().at(-1)!, /four-eyes/);

    gh.config(yaml, 2).role("hubot", "write").issue(1).identity();
    await comment(gh, "/approve", "hubot");
    await app.settle();
    assert.equal((await app.store.get(task.id))?.state, "done");
    gh.assertClean();
  });

  it("/revise plans again with the previous plan and the feedback; /approve then approves the new plan only", async () => {
    const { gh, task } = await planned();
    gh.config(null, 2).role("Codertocat", "admin").issue(1).threadComments(1).comments(1);
    await comment(gh, "/revise keep the public API unchanged", "Codertocat");
    await app.settle();
    const revised = await app.store.get(task.id);
    assert.equal(revised?.state, "awaiting_approval");
    assert.equal(revised?.planVersion, 2);
    assert.notEqual(revised?.planHash, task.planHash);
    assert.equal(agent.planRequests[1]?.feedback, "keep the public API unchanged");
    assert.deepEqual(agent.planRequests[1]?.previousPlan, task.plan);
    assert.match(gh.posted().at(-1)!, /"version":2/);

    gh.config(null, 2).role("Codertocat", "admin").issue(1).identity();
    await comment(gh, "/approve", "Codertocat");
    await app.settle();
    const done = await app.store.get(task.id);
    assert.equal(done?.approvedPlanHash, revised?.planHash);
    assert.equal(agent.executeRequests[0]?.plan.summary, revised?.plan?.summary);
    gh.assertClean();
  });

  it("refuses an approval written before the current plan was posted", async () => {
    const { gh, task } = await planned();
    gh.config(null).role("Codertocat", "admin").comments(1);
    // GitHub numbered it before the plan comment (and stamped it earlier).
    await comment(gh, "/approve", "Codertocat", { commentId: task.planCommentId! - 1, createdAt: "2020-01-01T00:00:00Z" });
    await app.settle();
    assert.equal((await app.store.get(task.id))?.state, "awaiting_approval");
    assert.match(gh.posted().at(-1)!, /latest|newer|outdated|revised/i);
    gh.assertClean();
  });

  it("executes a plan once when two approvals arrive together", async () => {
    const { gh, task } = await planned();
    gh.config(null, 3).role("Codertocat", "admin").role("hubot", "write").issue(1).identity();
    gh.comments(1, { times: 1 });
    const a = issueComment({ body: "/approve", login: "Codertocat" });
    const b = issueComment({ body: "/approve", login: "hubot" });
    gh.reaction(a.comment.id).reaction(b.comment.id);
    await Promise.all([app.receive("issue_comment", a), app.receive("issue_comment", b)]);
    await app.settle();
    assert.equal((await app.store.get(task.id))?.state, "done");
    assert.equal(agent.executeRequests.length, 1);
    assert.equal((await app.store.history(task.id)).filter((e) => e.to === "approved").length, 1);
    gh.assertClean();
  });

  it("/cancel stops the task and says who cancelled it; closing the issue cancels too", async () => {
    const { gh, task } = await planned();
    gh.config(null).role("Codertocat", "admin");
    await comment(gh, "/cancel not needed any more", "Codertocat");
    await app.settle();
    const cancelled = await app.store.get(task.id);
    assert.equal(cancelled?.state, "cancelled");
    assert.match(cancelled?.failure?.reason ?? "", /Codertocat.*not needed any more/);
    assert.match(gh.edited().at(-1)!, /[Cc]ancel/);
    gh.assertClean();
  });

  it("closing the issue cancels its active task", async () => {
    const { gh, task } = await planned();
    await app.receive("issues", issueClosed({ issueNumber: 1 }));
    await app.settle();
    assert.equal((await app.store.get(task.id))?.state, "cancelled");
    gh.assertClean();
  });

  it("/jules status re-posts where the task stands", async () => {
    const { gh } = await planned();
    gh.config(null).comments(1);
    await comment(gh, "/jules status", "mona");
    await app.settle();
    assert.match(gh.posted().at(-1)!, /[Aa]waiting approval/);
    gh.assertClean();
  });
});

describe("without an agent", () => {
  it("says in the thread that no agent is configured instead of planning", async () => {
    const app = await startTestApp({ agent: null });
    try {
      const gh = new GitHubMock();
      gh.token().config(null, 2).role("Codertocat", "admin").issue(1).comments(1).anyEdits();
      const c = issueComment({ body: "/jules fix the crash" });
      gh.reaction(c.comment.id);
      await app.receive("issue_comment", c);
      await app.settle();
      const task = await app.store.findLatest("Codertocat", "Hello-World", 1);
      assert.equal(task?.state, "failed");
      assert.match(task?.failure?.reason ?? "", /No LLM provider is configured/);
      assert.match(gh.edited().at(-1)!, /JULES_PROVIDER/);
      gh.assertClean();
    } finally {
      await app.close();
      GitHubMock.reset();
    }
  });
});
