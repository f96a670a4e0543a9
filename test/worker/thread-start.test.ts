import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "vitest";
import { AgentDouble } from "../helpers/agent-double.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment, issueLabeled } from "../helpers/payloads.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * The thread's starts (`/jules <text>` on an issue, the trigger label) are the
 * control plane's start (src/tasks/control/request-task.ts): the commenter or
 * the label's sender is the caller, recorded with face `thread`.
 */
describe("starting a task from the thread, through the start use case", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ agent: new AgentDouble() });
  });
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
  });

  const firstEvent = async (id: string) => {
    const [queued] = await app.store.history(id);
    return [queued?.to, queued?.actor, queued?.face, queued?.reason];
  };

  it("/jules --base on an issue: the trigger comment, the base, the issue's title, recorded as the commenter through the thread", async () => {
    const gh = new GitHubMock();
    const c = issueComment({ body: "/jules --base release/1.x fix the crash", login: "hubot" });
    gh.token().config(null, 2).role("hubot", "write").issue(1, { title: "Crash on start" }, 2).threadComments(1).comments(1, { times: 2 }).anyEdits().reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();
    const task = await app.store.findActive("Codertocat", "Hello-World", 1);
    assert.ok(task);
    assert.deepEqual(
      [task.state, task.instruction, task.baseBranch, task.issueTitle, task.triggerCommentId, task.requestedBy, task.face, task.model],
      ["awaiting_approval", "fix the crash", "release/1.x", "Crash on start", c.comment.id, "hubot", "thread", null],
    );
    assert.deepEqual(await firstEvent(task.id), ["queued", "hubot", "thread", "/jules by @hubot"]);
    gh.assertClean();
  });

  it("the trigger label: no trigger comment, the title from the webhook, recorded as the label's sender through the thread", async () => {
    const gh = new GitHubMock();
    // Only planning reads the issue; the start takes its title from the event.
    gh.token().config(null, 2).role("Codertocat", "maintain").issue(1, {}, 1).threadComments(1).comments(1, { times: 2 }).anyEdits();
    const labeled = issueLabeled({ label: "jules" });
    await app.receive("issues", labeled);
    await app.settle();
    const task = await app.store.findActive("Codertocat", "Hello-World", 1);
    assert.ok(task);
    assert.deepEqual([task.triggerCommentId, task.issueTitle, task.face], [null, labeled.issue.title, "thread"]);
    assert.deepEqual(await firstEvent(task.id), ["queued", "Codertocat", "thread", 'label "jules" added by @Codertocat']);
    gh.assertClean();
  });

  it("refuses a label added by a reader with one reply naming their role, and starts nothing", async () => {
    const gh = new GitHubMock().token().config(null).role("mona", "read").comments(1);
    await app.receive("issues", issueLabeled({ label: "jules", login: "mona" }));
    await app.settle();
    assert.equal(gh.posted().length, 1);
    assert.match(gh.posted()[0] ?? "", /only people with write access .* your role here is `read`/);
    assert.equal(await app.store.findLatest("Codertocat", "Hello-World", 1), null);
    gh.assertClean();
  });
});
