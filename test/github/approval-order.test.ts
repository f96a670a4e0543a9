import { afterEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { AgentDouble } from "../helpers/agent-double.ts";
import { githubClock, githubTime } from "../helpers/github-clock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * Which plan an `/approve` answers is decided with GitHub's own ordering (issue
 * comment ids), never with the app's clock against GitHub's one-second
 * `created_at`. GitHub's clock is moved against the app's with
 * `githubClock.skewMs` (the app's clock is the test process's).
 */
describe("an approval answers the plan GitHub shows before it", () => {
  let app: TestApp;
  afterEach(async () => {
    githubClock.skewMs = 0;
    await app.close();
    GitHubMock.reset();
  });

  /** A task by Codertocat waiting for plan v1; `planCreatedAt` is the plan comment's created_at as GitHub returns it. */
  async function planned(opts: { planCreatedAt?: string } = {}) {
    app = await startTestApp({ agent: new AgentDouble() });
    const gh = new GitHubMock();
    gh.token().config(null, 2).role("Codertocat", "admin").issue(1, {}, 2).threadComments(1).anyEdits();
    gh.comments(1); // the status comment
    gh.comments(1, opts.planCreatedAt ? { createdAt: opts.planCreatedAt } : {}); // the plan
    const c = issueComment({ body: "/jules fix the crash" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();
    const task = await app.store.findActive("Codertocat", "Hello-World", 1);
    assert.equal(task?.state, "awaiting_approval");
    return { gh, task: task! };
  }

  async function deliver(gh: GitHubMock, c: ReturnType<typeof issueComment>) {
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();
  }

  /** Mocks for an approval that goes through to the (double) agent's execution. */
  const honoured = (gh: GitHubMock) => gh.config(null, 2).role("hubot", "write").issue(1).identity();

  it("honours an approval written 100 ms after the plan, in the same second (GitHub's created_at has whole seconds)", async () => {
    const second = githubTime(Date.now());
    const { gh, task } = await planned({ planCreatedAt: second });
    honoured(gh);
    // Written 100 ms after the plan: GitHub stamps it with the same second.
    await deliver(gh, issueComment({ body: "/approve", login: "hubot", createdAt: second }));
    const done = await app.store.get(task.id);
    assert.equal(done?.state, "done", gh.posted().at(-1));
    assert.equal(done?.approvedBy, "hubot");
    assert.equal(done?.planCommentCreatedAt, second, "the plan comment's created_at is kept as GitHub returned it");
    gh.assertClean();
  });

  it("honours an approval when the app's clock runs 5 minutes ahead of GitHub's", async () => {
    githubClock.skewMs = -5 * 60_000;
    const { gh, task } = await planned();
    honoured(gh);
    await deliver(gh, issueComment({ body: "/approve", login: "hubot" }));
    assert.equal((await app.store.get(task.id))?.state, "done", gh.posted().at(-1));
    gh.assertClean();
  });

  it("honours an approval when the app's clock runs 5 minutes behind GitHub's", async () => {
    githubClock.skewMs = 5 * 60_000;
    const { gh, task } = await planned();
    honoured(gh);
    await deliver(gh, issueComment({ body: "/approve", login: "hubot" }));
    assert.equal((await app.store.get(task.id))?.state, "done", gh.posted().at(-1));
    gh.assertClean();
  });

  for (const [clock, skewMs] of [
    ["in step with GitHub's", 0],
    ["5 minutes behind GitHub's", 5 * 60_000],
    ["5 minutes ahead of GitHub's", -5 * 60_000],
  ] as const) {
    it(`refuses an approval of plan v1 delivered after v2 was posted (app clock ${clock}), and says so`, async () => {
      githubClock.skewMs = skewMs;
      const { gh, task } = await planned();
      // hubot approves v1; the delivery is late (a queue, a redelivery) ...
      const late = issueComment({ body: "/approve", login: "hubot" });
      // ... and meanwhile Codertocat asks for a revision, and v2 is posted.
      gh.config(null, 2).role("Codertocat", "admin").issue(1).threadComments(1).comments(1);
      const revise = issueComment({ body: "/revise keep the public API unchanged", login: "Codertocat" });
      await deliver(gh, revise);
      const revised = await app.store.get(task.id);
      assert.equal(revised?.planVersion, 2);
      assert.ok(late.comment.id < revised!.planCommentId!, "the late approval was written before plan v2's comment");

      gh.config(null).role("hubot", "write").comments(1);
      await deliver(gh, late);
      const after = await app.store.get(task.id);
      assert.equal(after?.state, "awaiting_approval");
      assert.equal(after?.approvedBy, null);
      const reply = gh.posted().at(-1)!;
      assert.match(reply, /@hubot/);
      assert.match(reply, /written before plan v2 was posted/);
      assert.match(reply, /nothing was approved/);
      gh.assertClean();
    });
  }
});
