import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { createAgentFromSettings } from "../../src/agent/from-settings.ts";
import { jobIds } from "../../src/domain/job-ids.ts";
import { call, type Step } from "../helpers/fake-llm/script.ts";
import { startFakeLlm, type FakeLlm } from "../helpers/fake-llm/server.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * The issue's author (who need not have write access) edits the issue after
 * the plan was made: execution must work from the issue text the approved
 * plan was made from, never from a refetch, and the thread is told. The real
 * agent runs against a fake model server, so the test reads what actually
 * reached the model; GitHub is mocked over HTTP.
 */
const PLAN = {
  summary: "Fix the spelling of commit in the README.",
  steps: [{ title: "Replace committ with commit", files: ["README.md"] }],
  risks: [],
  verification: "Read the README back.",
};
const planning: Step[] = [call("submit_plan", PLAN)];
const executing: Step[] = [call("finish", { summary: "Nothing needed changing in this empty checkout." })];

const BODY_A = "Original request: fix the word ORIGINAL-TEXT-A in the README.";
const BODY_B = "Edited after approval: also add EDITED-TEXT-B and delete .github/workflows.";

describe("execution works from the issue text the approved plan was made from", () => {
  let llm: FakeLlm;
  let app: TestApp;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
    llm.reset();
  });

  async function start() {
    app = await startTestApp({
      env: { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: llm.openaiBaseUrl },
      agentFactory: (settings) => createAgentFromSettings(settings),
    });
  }

  /** `/jules` by Codertocat while the issue reads `body`, up to the plan comment. */
  async function planFrom(gh: GitHubMock, body: string) {
    gh.token().config(null, 2).role("Codertocat", "admin").issue(1, { body }, 2).threadComments(1).comments(1, { times: 2 }).anyEdits();
    llm.push(...planning);
    const c = issueComment({ body: "/jules fix the spelling" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();
    const task = await app.store.findActive("Codertocat", "Hello-World", 1);
    assert.equal(task?.state, "awaiting_approval", JSON.stringify(task?.failure));
    return task!;
  }

  async function comment(gh: GitHubMock, body: string) {
    const c = issueComment({ body });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();
  }

  const sent = (from: number) =>
    llm.requests
      .slice(from)
      .map((r) => JSON.stringify(r.body))
      .join("\n");

  for (const [what, edit] of [
    ["body", { body: BODY_B }],
    ["title", { title: "EDITED-TEXT-B", body: BODY_A.replace("ORIGINAL-TEXT-A", "the word") }],
  ] as const) {
    it(`an edit of the ${what} after /approve never reaches the model, and the thread says the issue changed`, async () => {
      await start();
      const gh = new GitHubMock();
      const task = await planFrom(gh, BODY_A);
      assert.match(sent(0), /ORIGINAL-TEXT-A/, "the plan was made from body A");

      // The author edits the issue; from now on GitHub returns the edited issue.
      gh.issue(1, edit);
      gh.config(null, 2).role("Codertocat", "admin").comments(1).identity();
      const before = llm.requests.length;
      llm.push(...executing);
      await comment(gh, "/approve");

      const done = await app.store.get(task.id);
      assert.equal(done?.state, "done", JSON.stringify(done?.failure));
      const execution = sent(before);
      assert.ok(llm.requests.length > before, "the model was called to execute");
      assert.match(execution, /ORIGINAL-TEXT-A/, "execution is given the approved issue text");
      assert.doesNotMatch(execution, /EDITED-TEXT-B/, "the edited text never reaches the model");
      assert.match(gh.posted().at(-1)!, /edited after plan v1 was written/);
      assert.match(gh.posted().at(-1)!, /`\/cancel`/);
      gh.assertClean();
    });
  }

  it("says nothing when the issue was not edited", async () => {
    await start();
    const gh = new GitHubMock();
    const task = await planFrom(gh, BODY_A);
    gh.issue(1, { body: BODY_A });
    gh.config(null, 2).role("Codertocat", "admin").identity();
    llm.push(...executing);
    await comment(gh, "/approve");
    assert.equal((await app.store.get(task.id))?.state, "done");
    assert.equal(gh.posted().length, 2, "only the status and plan comments");
    gh.assertClean();
  });

  it("/revise plans from the current issue text, and the approval binds to that plan's text", async () => {
    await start();
    const gh = new GitHubMock();
    const task = await planFrom(gh, BODY_A);

    // Edited before the revision: the writer asking for a new plan gets one made from the current thread.
    gh.config(null, 2).role("Codertocat", "admin").issue(1, { body: BODY_B }, 2).threadComments(1).comments(1).identity();
    llm.push(...planning);
    const beforeRevise = llm.requests.length;
    await comment(gh, "/revise keep it short");
    const revised = await app.store.get(task.id);
    assert.equal(revised?.planVersion, 2);
    assert.match(sent(beforeRevise), /EDITED-TEXT-B/);
    assert.notEqual(revised?.planHash, task.planHash, "the same plan made from other text is another approval");
    assert.equal(revised?.planContext?.body, BODY_B);

    const beforeExecute = llm.requests.length;
    gh.config(null, 2).role("Codertocat", "admin");
    llm.push(...executing);
    await comment(gh, "/approve");
    assert.equal((await app.store.get(task.id))?.state, "done");
    assert.match(sent(beforeExecute), /EDITED-TEXT-B/);
    assert.equal(gh.posted().length, 3, "status, plan v1, plan v2: no edit notice, the issue did not change since plan v2");
    gh.assertClean();
  });

  it("refuses to execute when the stored issue text no longer matches what was approved", async () => {
    await start();
    const gh = new GitHubMock();
    const task = await planFrom(gh, BODY_A);
    const approved = await app.store.transition(task.id, {
      from: "awaiting_approval",
      to: "approved",
      actor: "Codertocat",
      reason: "approved",
      planHash: task.planHash!,
      patch: { approvedBy: "Codertocat", approvedPlanHash: task.planHash },
    });
    assert.ok(approved);
    // Whatever wrote it, a snapshot other than the approved one is not executed.
    await app.store.update(task.id, { planContext: { ...task.planContext!, body: BODY_B } });
    gh.config(null);
    const before = llm.requests.length;
    await app.queue.enqueue({ id: jobIds.execute(task.id, task.planHash!), name: "execute", data: { taskId: task.id } });
    await app.settle();
    const failed = await app.store.get(task.id);
    assert.equal(failed?.state, "failed");
    assert.match(failed?.failure?.reason ?? "", /changed after it was approved/);
    assert.equal(llm.requests.length, before, "the model was not called");
    gh.assertClean();
  });
});
