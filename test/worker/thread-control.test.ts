import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { taskIn, withHarness } from "../tasks/control/harness.ts";

/** The thread as a face of the control plane: a message to a working or paused task, /jules pause, /jules resume, refusals naming the role. */
describe("thread commands through the control plane", () => {
  const h = withHarness({ startWorker: true });

  async function say(gh: GitHubMock, body: string, login = "Codertocat") {
    const c = issueComment({ body, login });
    gh.reaction(c.comment.id);
    await h().app.receive("issue_comment", c);
    await h().app.settle();
  }

  it("turns /jules <text> on a working task into a message for the agent's next turn, noted in the status comment", async () => {
    const task = await taskIn(h(), "working", { issueNumber: 1, face: "thread" }, { statusCommentId: 77 });
    const gh = new GitHubMock().token().config(null).role("Codertocat", "admin").anyEdits();
    await say(gh, "/jules also update the changelog");
    const taken = await h().deps.store.takeMessages(task.id);
    assert.deepEqual(
      taken.map((m) => [m.author, m.face, m.body]),
      [["Codertocat", "thread", "also update the changelog"]],
    );
    assert.match(gh.edited().at(-1) ?? "", /Codertocat sent a message; the agent reads it at its next turn/);
    assert.deepEqual(gh.posted(), []);
    gh.assertClean();
  });

  it("turns /jules <text> on a paused task into a message kept until it resumes, noted in the status comment, without resuming it", async () => {
    const task = await taskIn(h(), "paused", { issueNumber: 1, face: "thread" }, { statusCommentId: 77 });
    const gh = new GitHubMock().token().config(null).role("Codertocat", "admin").anyEdits();
    await say(gh, "/jules keep the README short");
    assert.equal((await h().deps.store.get(task.id))?.state, "paused");
    assert.deepEqual(
      (await h().deps.store.takeMessages(task.id)).map((m) => [m.author, m.face, m.body]),
      [["Codertocat", "thread", "keep the README short"]],
    );
    assert.match(gh.edited().at(-1) ?? "", /Codertocat sent a message; it is delivered when the task resumes/);
    assert.deepEqual(gh.posted(), []);
    gh.assertClean();
  });

  it("refuses a message from a reader, naming their role, and queues nothing", async () => {
    const task = await taskIn(h(), "working", { issueNumber: 1, face: "thread" }, { statusCommentId: 77 });
    const gh = new GitHubMock().token().config(null).role("mona", "read").comments(1);
    await say(gh, "/jules do something else", "mona");
    assert.deepEqual(await h().deps.store.takeMessages(task.id), []);
    assert.match(gh.posted()[0] ?? "", /only people with write access .* your role here is `read`/);
    gh.assertClean();
  });

  it("asks a working task to pause with /jules pause", async () => {
    const task = await taskIn(h(), "working", { issueNumber: 1, face: "thread" }, { statusCommentId: 77 });
    const gh = new GitHubMock().token().config(null).role("Codertocat", "admin").anyEdits();
    await say(gh, "/jules pause");
    const now = await h().deps.store.get(task.id);
    assert.deepEqual([now?.state, now?.pause?.cause, now?.pause?.summary], ["working", "operator", null]);
    gh.assertClean();
  });

  it("resumes a paused task with /jules resume $1, recorded as the commenter through the thread", async () => {
    const task = await taskIn(h(), "paused", { issueNumber: 1, face: "thread" }, { statusCommentId: 77 });
    // The inbound job's settings, then the execute job's (which fails at once: no LLM provider in this process).
    const gh = new GitHubMock().token().config("budgets:\n  max_cost_usd: 1\n", 2).role("Codertocat", "admin").anyEdits();
    await say(gh, "/jules resume $1");
    const history = await h().deps.store.history(task.id);
    const resumed = history.find((e) => e.from === "paused");
    assert.deepEqual([resumed?.to, resumed?.actor, resumed?.face, resumed?.reason], ["approved", "Codertocat", "thread", "resumed with $1.00 more"]);
    assert.deepEqual((await h().deps.store.get(task.id))?.extraBudget, { turns: 0, tokens: 0, costUsd: 1, minutes: 0 });
    gh.assertClean();
  });

  it("answers /jules resume on a task that is not paused in the use case's words", async () => {
    await taskIn(h(), "working", { issueNumber: 1, face: "thread" }, { statusCommentId: 77 });
    const gh = new GitHubMock().token().config(null).role("Codertocat", "admin").comments(1);
    await say(gh, "/jules resume");
    assert.match(gh.posted()[0] ?? "", /only a paused task can be resumed\. I did nothing\./);
    gh.assertClean();
  });
});
