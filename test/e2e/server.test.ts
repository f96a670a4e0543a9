/**
 * End to end over real HTTP: the web server started as src/main.ts starts
 * it, signed deliveries sent to it on 127.0.0.1 like GitHub sends them, the
 * worker in the same process, GitHub mocked with nock (every request and
 * answer checked against GitHub's OpenAPI description), the agent a double.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "vitest";
import type { PlanOutcome } from "../../src/agent/port.ts";
import { AgentDouble, samplePlan } from "../helpers/agent-double.ts";
import { mockApproval, mockExecution, mockPlanning, mockTrigger } from "../helpers/conversation-mocks.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { deliver, signature256 } from "../helpers/signed-delivery.ts";
import { startTestApp, WEBHOOK_SECRET, type TestApp } from "../helpers/test-app.ts";
import { within } from "../helpers/within.ts";

const OWNER = "Codertocat";
const REPO = "Hello-World";

describe("the real web server", { timeout: 120_000 }, () => {
  let app: TestApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
    GitHubMock.reset();
  });

  it("carries a task through /jules → 👀 → status → plan → /approve by a writer → done, over signed HTTP", async () => {
    const agent = new AgentDouble();
    app = await startTestApp({ agent, server: true });
    const gh = new GitHubMock().token().anyEdits();
    const start = issueComment({ body: "/jules fix the crash when the config file is empty", login: OWNER });
    mockPlanning(mockTrigger(gh, { commentId: start.comment.id, login: OWNER, role: "admin" }));

    const started = await deliver(app.webhookUrl!, { name: "issue_comment", payload: start, secret: WEBHOOK_SECRET });
    assert.equal(started.status, 200, started.text);
    await app.settle();

    let task = await app.store.findActive(OWNER, REPO, 1);
    assert.equal(task?.state, "awaiting_approval");
    assert.equal(task?.instruction, "fix the crash when the config file is empty");
    const order = (pattern: RegExp) => gh.requests.findIndex((r) => r.method === "POST" && pattern.test(r.path));
    const eyes = order(new RegExp(`/issues/comments/${start.comment.id}/reactions$`));
    const comments = gh.requests.flatMap((r, i) => (r.method === "POST" && /\/issues\/1\/comments$/.test(r.path) ? [i] : []));
    assert.ok(eyes >= 0 && comments.length === 2 && eyes < comments[0]! && comments[0]! < comments[1]!, "👀, then the status comment, then the plan");
    const [status, plan] = gh.posted();
    assert.match(status!, /openjules:status/);
    assert.match(plan!, /Treat an empty file as an empty config/);
    assert.match(plan!, new RegExp(`openjules:plan.*"hash":"${task!.planHash}"`));

    const approve = issueComment({ body: "/approve ship it", login: "hubot" });
    mockExecution(mockApproval(gh, { commentId: approve.comment.id, login: "hubot", role: "write" }));
    const approved = await deliver(app.webhookUrl!, { name: "issue_comment", payload: approve, secret: WEBHOOK_SECRET });
    assert.equal(approved.status, 200, approved.text);
    await app.settle();

    task = await app.store.get(task!.id);
    assert.equal(task?.state, "done");
    assert.equal(task?.approvedBy, "hubot");
    assert.equal(task?.pullRequestUrl, app.delivery.result.kind === "pull_request" ? app.delivery.result.url : null);
    assert.equal(app.delivery.inputs.length, 1, "delivered once");
    assert.equal(agent.planRequests.length, 1);
    assert.equal(agent.executeRequests.length, 1);
    assert.deepEqual(
      (await app.store.history(task!.id)).map((e) => e.to),
      ["queued", "planning", "awaiting_approval", "approved", "working", "testing", "done"],
    );
    assert.equal(gh.posted().length, 2, "no comment besides the status and the plan");
    assert.match(gh.edited().at(-1)!, /done/i);
    gh.assertClean();
  });

  describe("refuses deliveries it cannot authenticate, before anything is queued", () => {
    const cases: { title: string; signature?: string | null; secret?: string; tampered?: boolean; answer: RegExp }[] = [
      { title: "signed with another secret", secret: "not-the-webhook-secret", answer: /signature does not match/ },
      { title: "a body changed after signing", tampered: true, answer: /signature does not match/ },
      { title: "a malformed signature", signature: "sha256=zz", answer: /signature does not match/ },
      { title: "a missing signature", signature: null, answer: /x-hub-signature-256/ },
    ];
    for (const c of cases) {
      it(`answers 400 to ${c.title}; no job, no task, no GitHub call`, async () => {
        app = await startTestApp({ agent: new AgentDouble(), server: true, startWorker: false });
        const gh = new GitHubMock();
        const payload = issueComment({ body: "/jules delete everything", login: OWNER });
        const tamperedBody = c.tampered ? JSON.stringify({ ...payload, comment: { ...payload.comment, body: "/jules something else" } }) : undefined;
        const answer = await deliver(app.webhookUrl!, {
          name: "issue_comment",
          payload,
          secret: c.secret ?? WEBHOOK_SECRET,
          ...(c.signature !== undefined ? { signature: c.signature } : {}),
          ...(tamperedBody ? { tamperedBody } : {}),
        });
        assert.equal(answer.status, 400);
        assert.match(answer.text, c.answer);
        assert.equal(await app.queue.depth(), 0);
        assert.deepEqual(await app.store.list({}), []);
        assert.equal(gh.requests.length, 0);

        // The same delivery, correctly signed, is queued: the checks above can fail.
        const good = await deliver(app.webhookUrl!, { name: "issue_comment", payload, secret: WEBHOOK_SECRET });
        assert.equal(good.status, 200);
        assert.equal(await app.queue.depth(), 1);
      });
    }

    it("computes the signature GitHub documents", () => {
      // From GitHub's "Validating webhook deliveries" docs: secret "It's a Secret to Everybody", payload "Hello, World!".
      assert.equal(signature256("It's a Secret to Everybody", "Hello, World!"), "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    });
  });

  it("answers the webhook while the work it queued is still waiting or running", async () => {
    const agent = new AgentDouble();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let planStarted!: () => void;
    const planning = new Promise<void>((resolve) => (planStarted = resolve));
    agent.plans.push(async (): Promise<PlanOutcome> => {
      planStarted();
      await gate;
      return { kind: "plan", plan: samplePlan(), usage: { inputTokens: 10, outputTokens: 5, calls: 1, wallMs: 1, costUsd: 0 } };
    });
    app = await startTestApp({ agent, server: true });
    const gh = new GitHubMock().token().anyEdits();
    const start = issueComment({ body: "/jules fix it", login: OWNER });
    mockPlanning(mockTrigger(gh, { commentId: start.comment.id }));

    const answer = await within(30_000, deliver(app.webhookUrl!, { name: "issue_comment", payload: start, secret: WEBHOOK_SECRET }), "the webhook answer waited for the work");
    assert.equal(answer.status, 200);
    assert.equal(answer.text.trim(), "ok");
    assert.equal(
      gh.posted().some((b) => /openjules:plan/.test(b)),
      false,
      "no plan was posted when GitHub got its answer",
    );
    const latest = await app.store.findLatest(OWNER, REPO, 1);
    assert.ok(latest === null || ["queued", "planning"].includes(latest.state), `task is ${latest?.state}`);

    await planning; // the plan job runs after the answer went out...
    assert.equal((await app.store.findActive(OWNER, REPO, 1))?.state, "planning");
    release(); // ...and finishes once the agent does.
    await app.settle();
    assert.equal((await app.store.findActive(OWNER, REPO, 1))?.state, "awaiting_approval");
    gh.assertClean();
  });
});
