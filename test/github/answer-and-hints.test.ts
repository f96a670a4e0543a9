import assert from "node:assert/strict";
import { afterEach, describe, it } from "vitest";
import { AgentDouble } from "../helpers/agent-double.ts";
import { FAKE } from "../helpers/fake-secrets.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/** What OpenJules tells people to type uses the repository's command word (jules.yml `command`), and the status links the answer. */
describe("the answer, and hints in the repository's command word", () => {
  let app: TestApp;
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
  });
  const usage = { inputTokens: 1, outputTokens: 1, calls: 1, wallMs: 1, costUsd: 0 };

  it("links the answer comment from the status comment, and the answer says how to ask in the repository's word", async () => {
    const agent = new AgentDouble();
    agent.plans.push({ kind: "answer", answer: "The limit is set in config.ts.", usage });
    app = await startTestApp({ agent });
    const gh = new GitHubMock().token().config("command: bot\n", 2).role("Codertocat", "admin").issue(1, {}, 2).threadComments(1).comments(1, { times: 2 }).anyEdits();
    const c = issueComment({ body: "/bot where is the limit set?" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();

    const task = await app.store.findLatest("Codertocat", "Hello-World", 1);
    assert.equal(task?.state, "done", JSON.stringify(task?.failure));
    const answer = gh.posted().find((b) => b.includes("openjules:answer")) ?? "";
    assert.match(answer, /reply `\/bot <what to do>`/);
    assert.doesNotMatch(answer, /\/jules/);
    assert.ok(task?.planCommentId, "the answer's comment is recorded");
    const status = gh.edited().at(-1) ?? "";
    assert.ok(status.includes(`[answer](https://github.com/Codertocat/Hello-World/issues/1#issuecomment-${task.planCommentId})`), status);
    assert.doesNotMatch(status, /\[plan\]/);
    gh.assertClean();
  });

  it("a job that failed for good tells how to start again in the repository's word", async () => {
    const agent = new AgentDouble();
    agent.plans.push(new Error("the model server is down"), new Error("the model server is down"), new Error("the model server is down"));
    app = await startTestApp({ agent });
    const gh = new GitHubMock().token().config("command: bot\n", 4).role("Codertocat", "admin").issue(1, {}, 4).threadComments(1, [], 3).comments(1).anyEdits();
    const c = issueComment({ body: "/bot fix the crash" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();

    const task = await app.store.findLatest("Codertocat", "Hello-World", 1);
    assert.equal(task?.state, "failed");
    assert.match(task?.failure?.reason ?? "", /kept failing after 3 attempts/);
    assert.match(task?.failure?.hint ?? "", /^Comment `\/bot` on the issue to start again\./);
    assert.match(gh.edited().at(-1) ?? "", /Comment `\/bot` on the issue to start again/);
  });

  it("a job that failed for good never shows a secret of its error, even one the 300-character cut would halve", async () => {
    const agent = new AgentDouble();
    // The token starts at character 280: cut first and redacted after, its first 20 characters would survive.
    const error = () => new Error(`${"x".repeat(250)} the provider said: token ${FAKE.githubClassic} is invalid`);
    agent.plans.push(error(), error(), error());
    app = await startTestApp({ agent });
    const gh = new GitHubMock().token().config("command: bot\n", 4).role("Codertocat", "admin").issue(1, {}, 4).threadComments(1, [], 3).comments(1).anyEdits();
    const c = issueComment({ body: "/bot fix the crash" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();

    const task = await app.store.findLatest("Codertocat", "Hello-World", 1);
    assert.equal(task?.state, "failed");
    const reason = task?.failure?.reason ?? "";
    assert.match(reason, /kept failing after 3 attempts/);
    assert.ok(!reason.includes(FAKE.githubClassic.slice(0, 12)), reason);
    assert.ok(!(gh.edited().at(-1) ?? "").includes(FAKE.githubClassic.slice(0, 12)));
  });
});
