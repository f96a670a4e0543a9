import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { pauseRequest } from "../../../src/tasks/pause.ts";
import type { TaskState } from "../../../src/domain/model.ts";
import { operator, taskIn, user, withHarness } from "./harness.ts";

/** A message in each state, pause and resume (with budget within the operator's caps). */
describe("control plane: messages, pause and resume", () => {
  const h = withHarness();

  for (const state of ["working", "testing"] as const) {
    it(`queues a message for the agent's next turn while ${state}`, async () => {
      const task = await taskIn(h(), state);
      const sent = await h().plane.message(operator("mcp"), task.id, { text: "  also update the changelog  " });
      assert.deepEqual(sent.ok && sent.value.delivery, "next_turn");
      const taken = await h().deps.store.takeMessages(task.id);
      assert.deepEqual(
        taken.map((m) => [m.author, m.face, m.body]),
        [["operator", "mcp", "also update the changelog"]],
      );
      const events = await h().deps.store.readEvents(task.id, 0, 100);
      assert.deepEqual(events.at(-1)?.data, { type: "message", from: "operator", face: "mcp", text: "also update the changelog" });
    });
  }

  it("keeps a message to a paused task for the agent's first turn once resumed, and says so", async () => {
    const task = await taskIn(h(), "paused");
    const gh = new GitHubMock().token().role("hubot", "write");
    const sent = await h().plane.message(user("hubot", { face: "api" }), task.id, { text: "and keep the README short" });
    assert.ok(sent.ok, sent.ok ? "" : sent.error.detail);
    assert.deepEqual([sent.value.delivery, sent.value.task.state], ["on_resume", "paused"]);
    assert.equal(await h().app.queue.depth(), 0, "a message does not resume the task");
    const events = await h().deps.store.readEvents(task.id, 0, 100);
    assert.deepEqual(events.at(-1)?.data, { type: "message", from: "hubot", face: "api", text: "and keep the README short" });
    assert.deepEqual(
      (await h().deps.store.takeMessages(task.id)).map((m) => [m.author, m.face, m.body]),
      [["hubot", "api", "and keep the README short"]],
    );
    gh.assertClean();
  });

  it("turns a message to a waiting plan into a revision, planned again", async () => {
    const task = await taskIn(h(), "awaiting_approval");
    const sent = await h().plane.message(operator("api"), task.id, { text: "keep the old flag" });
    assert.ok(sent.ok);
    assert.deepEqual([sent.value.delivery, sent.value.task.state, sent.value.task.revisionFeedback], ["revision", "revising", "keep the old flag"]);
    assert.equal((await h().deps.store.history(task.id)).at(-1)?.face, "api");
    assert.equal(await h().app.queue.depth(), 1);
  });

  const refused: [TaskState, RegExp][] = [
    ["queued", /wait until its plan is ready/],
    ["planning", /wait until its plan is ready/],
    ["approved", /about to start/],
    ["failed", /start a new task/],
    ["cancelled", /start a new task/],
    ["done", /without a pull request/],
  ];
  for (const [state, what] of refused) {
    it(`refuses a message to a ${state} task, saying what to do`, async () => {
      const task = await taskIn(h(), state);
      const sent = await h().plane.message(operator(), task.id, { text: "hello" });
      assert.equal(sent.ok ? "ok" : sent.error.code, "conflict");
      assert.match(sent.ok ? "" : sent.error.detail, what);
      assert.deepEqual(await h().deps.store.takeMessages(task.id), []);
    });
  }

  it("refuses an empty message", async () => {
    const task = await taskIn(h(), "working");
    const sent = await h().plane.message(operator(), task.id, { text: "   " });
    assert.equal(sent.ok ? "ok" : sent.error.code, "invalid");
  });

  it("asks a working task to pause (the agent's request, once), and refuses other states", async () => {
    const task = await taskIn(h(), "working");
    const paused = await h().plane.pause(operator("cli"), task.id, { reason: "lunch" });
    assert.ok(paused.ok);
    assert.equal(paused.value.state, "working");
    assert.equal(pauseRequest(paused.value), "lunch");
    const again = await h().plane.pause(operator("cli"), task.id, {});
    assert.equal(again.ok && again.value.pause?.at, paused.value.pause?.at);
    const waiting = await taskIn(h(), "approved", { requestedBy: "hubot", instruction: "other" });
    const refused = await h().plane.pause(operator(), waiting.id, {});
    assert.match(refused.ok ? "" : refused.error.detail, /about to start/);
  });

  it("resumes a paused task with more budget: approved, budget added, the pause's own execute job queued once", async () => {
    const task = await taskIn(h(), "paused");
    const gh = new GitHubMock().token().config("budgets:\n  max_cost_usd: 2\n  max_turns: 20\n");
    const resumed = await h().plane.resume(operator("api"), task.id, { extra: "$2, 10 turns" });
    assert.ok(resumed.ok, resumed.ok ? "" : resumed.error.detail);
    assert.equal(resumed.value.state, "approved");
    assert.deepEqual(resumed.value.extraBudget, { turns: 10, tokens: 0, costUsd: 2, minutes: 0 });
    assert.equal(resumed.value.pause?.summary, "did half");
    assert.equal(pauseRequest(resumed.value), null);
    const last = (await h().deps.store.history(task.id)).at(-1);
    assert.deepEqual([last?.from, last?.to, last?.actor, last?.face, last?.reason], ["paused", "approved", "operator", "api", "resumed with $2.00, 10 turns more"]);
    assert.equal(await h().app.queue.depth(), 1);
    const twice = await h().plane.resume(operator("api"), task.id, {});
    assert.equal(twice.ok ? "ok" : twice.error.code, "conflict");
    gh.assertClean();
  });

  it("refuses a resume whose budget would pass the operator's cap, naming the cap, and keeps the task paused", async () => {
    const task = await taskIn(h(), "paused");
    const gh = new GitHubMock().token().config("budgets:\n  max_cost_usd: 4\n");
    const over = await h().plane.resume(operator(), task.id, { extra: "$2" });
    assert.equal(over.ok ? "ok" : over.error.code, "invalid");
    assert.match(over.ok ? "" : over.error.detail, /\$6\.00, more than the operator's cap of \$5\.00 \(JULES_MAX_COST_USD\)/);
    assert.equal((await h().deps.store.get(task.id))?.state, "paused");
    const words = await h().plane.resume(operator(), task.id, { extra: "plenty" });
    assert.match(words.ok ? "" : words.error.detail, /"plenty" is not a budget/);
    gh.assertClean();
  });
});
