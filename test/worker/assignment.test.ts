import assert from "node:assert/strict";
import { afterEach, describe, it } from "vitest";
import type { TaskState } from "../../src/domain/model.ts";
import { STATE_WORDS } from "../../src/render/words.ts";
import { AgentDouble } from "../helpers/agent-double.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueAssignment } from "../helpers/trigger-payloads.ts";
import { recordUnmatched } from "../helpers/unmatched.ts";
import { taskIn, withHarness } from "../tasks/control/harness.ts";

/**
 * Assigning an issue to the account jules.yml's `assignee` names (else the
 * operator's JULES_ASSIGNEE, here `jules-bot`) starts a task as the trigger
 * label does, the assigner being who asked; unassigning it cancels a task
 * that has not started its work, and says a task at work keeps going.
 */
describe("the assignment trigger", () => {
  const h = withHarness({ startWorker: true, agent: new AgentDouble(), env: { JULES_ASSIGNEE: "jules-bot" } });
  const unmatched = recordUnmatched();
  afterEach(() => assert.deepEqual(unmatched(), [], "requests GitHub's mock did not expect"));

  const assign = async (opts: Parameters<typeof issueAssignment>[0], id?: string) => {
    await h().app.receive("issues", issueAssignment(opts), id);
    await h().app.settle();
  };
  const firstEvent = async (id: string) => {
    const [queued] = await h().app.store.history(id);
    return [queued?.to, queued?.actor, queued?.face, queued?.reason];
  };
  /** The inbound job (config, the assigner's role, the status comment) and planning (config, the issue, its thread, the plan comment). */
  const startMocks = (gh: GitHubMock, opts: { yaml?: string | null; login: string; role?: string }) =>
    gh
      .token()
      .config(opts.yaml ?? null, 2)
      .role(opts.login, opts.role ?? "write")
      .issue(1)
      .threadComments(1)
      .comments(1, { times: 2 })
      .anyEdits();

  it("assigned to JULES_ASSIGNEE (any case) by a writer: a task from the issue, asked for by the assigner through the thread, planned", async () => {
    const gh = startMocks(new GitHubMock(), { login: "hubot" });
    await assign({ action: "assigned", assignee: "Jules-Bot", login: "hubot" });
    const task = await h().app.store.findActive("Codertocat", "Hello-World", 1);
    assert.ok(task);
    assert.deepEqual([task.state, task.requestedBy, task.face, task.triggerCommentId, task.instruction], ["awaiting_approval", "hubot", "thread", null, ""]);
    assert.deepEqual(await firstEvent(task.id), ["queued", "hubot", "thread", "assigned to @jules-bot by @hubot"]);
    assert.match(gh.posted()[0] ?? "", /openjules:status/);
    gh.assertClean();
  });

  it("jules.yml's assignee wins over JULES_ASSIGNEE: assigning it starts a task, assigning the operator's account does nothing", async () => {
    const yaml = "assignee: our-machine-user\n";
    const gh = startMocks(new GitHubMock(), { yaml, login: "Codertocat", role: "admin" });
    await assign({ action: "assigned", assignee: "our-machine-user" });
    const task = await h().app.store.findActive("Codertocat", "Hello-World", 1);
    assert.deepEqual(await firstEvent(task!.id), ["queued", "Codertocat", "thread", "assigned to @our-machine-user by @Codertocat"]);
    gh.assertClean();

    const other = new GitHubMock().config(yaml);
    await assign({ action: "assigned", assignee: "jules-bot", issueNumber: 2 });
    assert.equal(await h().app.store.findLatest("Codertocat", "Hello-World", 2), null);
    assert.deepEqual(other.posted(), []);
    other.assertClean();
  });

  it("assigned to someone else: nothing starts and nothing is said", async () => {
    const gh = new GitHubMock().token().config(null);
    await assign({ action: "assigned", assignee: "mona" });
    assert.equal(await h().app.store.findLatest("Codertocat", "Hello-World", 1), null);
    assert.deepEqual(gh.posted(), []);
    gh.assertClean();
  });

  it("assigned by a reader: refused with one reply naming their role, and no task", async () => {
    const gh = new GitHubMock().token().config(null).role("mona", "read").comments(1);
    await assign({ action: "assigned", assignee: "jules-bot", login: "mona" });
    assert.equal(await h().app.store.findLatest("Codertocat", "Hello-World", 1), null);
    assert.equal(gh.posted().length, 1);
    assert.match(gh.posted()[0] ?? "", /@mona, only people with write access .* can start a task by assigning this issue to @\u200Bjules-bot; your role here is `read`/);
    gh.assertClean();
  });

  it("assigned by a bot that is not allowlisted: ignored before anything is queued", async () => {
    const gh = new GitHubMock();
    await assign({ action: "assigned", assignee: "jules-bot", login: "renovate[bot]" });
    assert.equal(await h().app.store.findLatest("Codertocat", "Hello-World", 1), null);
    assert.deepEqual(gh.requests, []);
    gh.assertClean();
  });

  it("the same delivery twice is one start", async () => {
    const gh = startMocks(new GitHubMock(), { login: "Codertocat", role: "admin" });
    await assign({ action: "assigned", assignee: "jules-bot" }, "assign-delivery-1");
    await assign({ action: "assigned", assignee: "jules-bot" }, "assign-delivery-1");
    const task = await h().app.store.findActive("Codertocat", "Hello-World", 1);
    assert.equal(task?.state, "awaiting_approval");
    assert.equal((await h().app.store.list()).length, 1);
    gh.assertClean();
  });

  for (const state of ["queued", "planning", "awaiting_approval", "revising"] as const satisfies TaskState[]) {
    it(`unassigned while the task is ${state}: cancelled, by the unassigner`, async () => {
      const task = await taskIn(h(), state === "revising" ? "awaiting_approval" : state, { issueNumber: 1, face: "thread" }, { statusCommentId: 77 });
      if (state === "revising") await h().deps.store.transition(task.id, { from: "awaiting_approval", to: "revising", actor: "Codertocat", reason: "test" });
      const gh = new GitHubMock().token().config(null).role("hubot", "write").anyEdits();
      await assign({ action: "unassigned", assignee: "jules-bot", login: "hubot" });
      const now = await h().deps.store.get(task.id);
      assert.equal(now?.state, "cancelled");
      const last = (await h().deps.store.history(task.id)).at(-1);
      assert.deepEqual([last?.from, last?.to, last?.actor, last?.face, last?.reason], [state, "cancelled", "hubot", "thread", "@jules-bot was unassigned"]);
      assert.equal(now?.failure?.reason, "Cancelled by @hubot: @jules-bot was unassigned");
      assert.match(gh.edited().at(-1) ?? "", /### 🚫 Cancelled/, "the status comment says so");
      assert.deepEqual(gh.posted(), [], "the status comment says it; no reply");
      gh.assertClean();
    });
  }

  for (const state of ["approved", "working", "testing", "paused"] as const satisfies TaskState[]) {
    it(`unassigned while the task is ${state}: it keeps going, and the reply says how to stop it`, async () => {
      const task = await taskIn(h(), state, { issueNumber: 1, face: "thread" }, { statusCommentId: 77 });
      const gh = new GitHubMock().token().config(null).role("hubot", "write").comments(1);
      await assign({ action: "unassigned", assignee: "jules-bot", login: "hubot" });
      assert.equal((await h().deps.store.get(task.id))?.state, state);
      assert.equal(gh.posted().length, 1);
      assert.match(gh.posted()[0]!, /^@hubot, @\u200Bjules-bot was unassigned, but the task on this issue keeps going: .*Reply `\/cancel` to stop it\./);
      assert.match(gh.posted()[0]!, state === "paused" ? /it is paused/ : new RegExp(`its plan is approved and it is ${STATE_WORDS[state]}`));
      gh.assertClean();
    });
  }

  it("unassigned by someone without write access: refused with their role, the task goes on", async () => {
    const task = await taskIn(h(), "awaiting_approval", { issueNumber: 1, face: "thread" }, { statusCommentId: 77 });
    const gh = new GitHubMock().token().config(null).role("mona", "triage").comments(1);
    await assign({ action: "unassigned", assignee: "jules-bot", login: "mona" });
    assert.equal((await h().deps.store.get(task.id))?.state, "awaiting_approval");
    assert.match(gh.posted()[0] ?? "", /@mona, only people with write access .* can cancel a task by unassigning @\u200Bjules-bot; your role here is `triage`/);
    gh.assertClean();
  });

  it("unassigning someone else, or with no task on the issue: nothing happens", async () => {
    const task = await taskIn(h(), "planning", { issueNumber: 1, face: "thread" }, { statusCommentId: 77 });
    const gh = new GitHubMock().token().config(null, 2);
    await assign({ action: "unassigned", assignee: "mona" });
    await assign({ action: "unassigned", assignee: "jules-bot", issueNumber: 5 });
    assert.equal((await h().deps.store.get(task.id))?.state, "planning");
    assert.deepEqual(gh.posted(), []);
    gh.assertClean();
  });
});
