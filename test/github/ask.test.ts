import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { createAgentFromSettings } from "../../src/agent/from-settings.ts";
import type { Workspaces } from "../../src/workspace/port.ts";
import { createWorkspaces } from "../../src/workspace/from-settings.ts";
import { AgentDouble, samplePlan } from "../helpers/agent-double.ts";
import { mockPullFiles, mockPullRequestAsIssue } from "../helpers/ask-mocks.ts";
import { call, type Step } from "../helpers/fake-llm/script.ts";
import { type FakeLlm, startFakeLlm } from "../helpers/fake-llm/server.ts";
import { BASE_COMMITS } from "../helpers/git/workspace-fixture.ts";
import { type GitServer, startGitServer } from "../helpers/git-server.ts";
import { GitHubMock, INSTALLATION_TOKEN } from "../helpers/github-mock.ts";
import { issueComment } from "../helpers/payloads.ts";
import { servedComment } from "../helpers/served-comment.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * `/jules ask <question>` in the thread, end to end: real issue_comment
 * payloads, GitHub mocked and every request checked against its OpenAPI
 * description, the real agent and SDK against the scripted fake model, real
 * git checkouts. A question is answered in the thread with a cost line and
 * the status links the answer; it never reaches approval or execution, makes
 * no branch and no pull request, whatever the model tries.
 */

/** What a question must never cause on GitHub: a branch, a commit, a pull request, a check run, a review request. */
const CHANGES = /\/pulls$|\/pulls\/\d+\/requested_reviewers|\/git\/|\/check-runs|\/labels/;

const ANSWER = "It is computed: `src/index.js:1` exports `41 + 1`.";

describe("/jules ask: questions that never change code", () => {
  let llm: FakeLlm;
  let git: GitServer;
  let app: TestApp;
  /** The content of src/index.js in each working copy, read just before the checkout is removed. */
  const seen: string[] = [];

  beforeAll(async () => {
    llm = await startFakeLlm();
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
  });
  afterAll(async () => {
    await llm.close();
    await git.close();
  });
  afterEach(async () => {
    await app?.close();
    GitHubMock.reset();
    llm.reset();
    seen.length = 0;
  });

  /** An OpenJules with the real agent (OpenAI's SDK against the fake model) and real git workspaces. */
  async function realAgent(): Promise<TestApp> {
    let real: Workspaces | null = null;
    const observed: Workspaces = {
      async checkout(task, options) {
        const checkout = await real!.checkout(task, options);
        const dispose = async () => {
          seen.push(await readFile(join(checkout.dir, "src/index.js"), "utf8"));
          await checkout.dispose();
        };
        return { ...checkout, dispose };
      },
    };
    return startTestApp({
      env: { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: llm.openaiBaseUrl, JULES_WORKSPACE_SPARES: "0" },
      agentFactory: (settings) => {
        real = createWorkspaces(settings, { ...settings.workspace, sparesPerRepo: 0 });
        return createAgentFromSettings(settings);
      },
      workspaces: observed,
    });
  }

  /** GitHub for a question on issue #1, asked by an admin: config, role, the issue (start, planning, snapshot), the thread, status and answer comments. */
  function issueMocks(config: string | null = null): GitHubMock {
    return new GitHubMock().token().config(config, 2).role("Codertocat", "admin").issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits();
  }

  const toolNames = (body: unknown) => ((body as { tools?: { function: { name: string } }[] }).tools ?? []).map((t) => t.function.name).sort();

  function assertNothingChanged(gh: GitHubMock) {
    const changing = gh.requests.filter((r) => r.method !== "GET" && CHANGES.test(r.path.split("?")[0]!));
    assert.deepEqual(changing, [], "a question makes no branch, commit, pull request or check run");
    assert.deepEqual(
      git.requests.filter((r) => r.service === "git-receive-pack"),
      [],
      "nothing is pushed",
    );
  }

  async function assertAnswered(taskOf: () => Promise<Awaited<ReturnType<TestApp["store"]["findLatest"]>>>) {
    const task = await taskOf();
    assert.equal(task?.kind, "ask");
    assert.equal(task?.state, "done", JSON.stringify(task?.failure));
    assert.deepEqual(
      (await app.store.history(task!.id)).map((e) => e.to),
      ["queued", "planning", "done"],
      "a question goes from planning to done, never through approval or work",
    );
    assert.equal(task?.branch, null);
    assert.equal(task?.pullRequestNumber, null);
    assert.equal(task?.plan, null);
    assert.equal(task?.approvedPlanHash, null);
    return task!;
  }

  it("on an issue: answers from the code in the thread with a cost line, the status links it, and nothing is changed", async () => {
    const cloneUrl = await git.createRepo("Codertocat", "ask-1", BASE_COMMITS);
    app = await realAgent();
    llm.push(call("list_files", {}), call("read_file", { path: "src/index.js" }), call("answer", { answer: ANSWER }));
    const gh = issueMocks();
    await app.receive("issue_comment", servedComment(gh, "/jules ask how is the answer computed?", cloneUrl));
    await app.settle();

    const task = await assertAnswered(() => app.store.findLatest("Codertocat", "Hello-World", 1));
    assert.equal(task.instruction, "how is the answer computed?");
    assert.equal(task.answer, ANSWER);
    const [status, answer] = gh.posted();
    assert.match(status!, /openjules:status/);
    assert.match(answer!, /openjules:answer/);
    assert.ok(answer!.includes(ANSWER), answer);
    assert.match(answer!, /Cost of this answer: [\d,]+ tokens in · [\d,]+ out · 3 model calls · \$/);
    assert.match(answer!, /This was a question, so nothing was changed: no plan, no branch, no pull request\./);
    const last = gh.edited().at(-1) ?? "";
    assert.match(last, /💬 Answered/);
    assert.ok(last.includes(`[answer](https://github.com/Codertocat/Hello-World/issues/1#issuecomment-${task.planCommentId})`), last);
    assert.doesNotMatch(last, /\/approve/);
    // The model was given the read-only tools and answer, and read the real file.
    assert.deepEqual(toolNames(llm.requests[0]!.body), ["answer", "list_files", "read_file", "search"]);
    assert.ok(JSON.stringify(llm.requests[2]!.body).includes("41 + 1"));
    assert.deepEqual(seen, ["export const answer = 41 + 1;\n"]);
    assert.equal(app.delivery.inputs.length, 0);
    assertNothingChanged(gh);
    gh.assertClean();
  });

  it("refuses the model's edit_file, run and submit_plan (it has no such tools), and still only answers", async () => {
    const cloneUrl = await git.createRepo("Codertocat", "ask-2", BASE_COMMITS);
    app = await realAgent();
    const tries: Step[] = [
      call("edit_file", { path: "src/index.js", old_string: "41 + 1", new_string: "42" }),
      call("write_file", { path: "src/new.js", content: "export {};\n" }),
      call("run", { command: "rm -rf src" }),
      call("submit_plan", { summary: "Make it a literal.", steps: [{ title: "Edit", files: ["src/index.js"] }], risks: [], verification: "Read it." }),
      call("answer", { answer: ANSWER }),
    ];
    llm.push(...tries);
    // `approval: auto` changes nothing for a question: there is no plan to approve.
    const gh = issueMocks("approval: auto\n");
    await app.receive("issue_comment", servedComment(gh, "/jules ask make the answer a literal, please", cloneUrl));
    await app.settle();

    await assertAnswered(() => app.store.findLatest("Codertocat", "Hello-World", 1));
    for (const [i, tool] of ["edit_file", "write_file", "run", "submit_plan"].entries()) {
      const next = JSON.stringify(llm.requests[i + 1]!.body);
      assert.ok(next.includes(`there is no tool named \\"${tool}\\"`), `${tool} refused: ${next.slice(-600)}`);
    }
    for (const request of llm.requests) assert.deepEqual(toolNames(request.body), ["answer", "list_files", "read_file", "search"]);
    assert.equal(llm.remaining, 0);
    assert.deepEqual(seen, ["export const answer = 41 + 1;\n"], "the working copy was not changed");
    assert.equal(gh.posted().filter((b) => b.includes("openjules:plan")).length, 0, "no plan comment");
    assert.equal(app.delivery.inputs.length, 0);
    assertNothingChanged(gh);
    gh.assertClean();
  });

  it("on a pull request: the model is given the pull request's diff, and reads its head (read-only)", async () => {
    const cloneUrl = await git.createRepo("Codertocat", "ask-3", [
      ...BASE_COMMITS,
      { branch: "topic", files: { "src/index.js": "export const answer = 42; // topic\n" }, message: "literal" },
    ]);
    app = await realAgent();
    llm.push(call("read_file", { path: "src/index.js" }), call("answer", { answer: "Yes: the head makes it the literal 42." }));
    const gh = new GitHubMock().token().config(null, 2).role("Codertocat", "admin").threadComments(2).comments(2, { times: 2 }).anyEdits();
    mockPullRequestAsIssue(gh, 2, { title: "Make the answer a literal" }, 3);
    gh.pull({ number: 2, head: "topic", base: "main", author: "Codertocat" });
    const patch = "@@ -1 +1 @@\n-export const answer = 41 + 1;\n+export const answer = 42; // topic";
    mockPullFiles(gh, 2, [
      { path: "src/index.js", additions: 1, deletions: 1, patch },
      { path: "logo.png", status: "added", additions: 0, deletions: 0 },
    ]);
    const payload = issueComment({ body: "/jules ask is the literal right?", onPullRequest: true, issueNumber: 2 });
    Object.assign(payload.repository, { clone_url: cloneUrl, default_branch: "main" });
    gh.reaction(payload.comment.id);
    await app.receive("issue_comment", payload);
    await app.settle();

    const task = await assertAnswered(() => app.store.findLatest("Codertocat", "Hello-World", 2));
    assert.equal(task.issueTitle, "Make the answer a literal");
    const prompt = JSON.stringify(llm.requests[0]!.body);
    assert.ok(prompt.includes("pull request #2 (into `main`): 2 changed files (+1 −1)"), prompt.slice(0, 4000));
    assert.ok(prompt.includes("head branch `topic`: the changes are in it"));
    assert.ok(prompt.includes(JSON.stringify(patch).slice(1, -1)), "the patch is in the prompt");
    assert.ok(prompt.includes("logo.png (added, +0 −0)"));
    assert.ok(JSON.stringify(llm.requests[1]!.body).includes("// topic"), "read_file read the head");
    assert.deepEqual(seen, ["export const answer = 42; // topic\n"]);
    const answer = gh.posted().find((b) => b.includes("openjules:answer")) ?? "";
    assert.match(answer, /Yes: the head makes it the literal 42\./);
    assertNothingChanged(gh);
    gh.assertClean();
  });

  it("on a pull request from a fork: reads the base branch, and tells the model the changes are not in its working copy", async () => {
    const cloneUrl = await git.createRepo("Codertocat", "ask-fork", BASE_COMMITS);
    app = await realAgent();
    llm.push(call("answer", { answer: "The diff makes it a literal." }));
    const gh = new GitHubMock().token().config(null, 2).role("Codertocat", "admin").threadComments(3).comments(3, { times: 2 }).anyEdits();
    mockPullRequestAsIssue(gh, 3, {}, 3);
    gh.pull({ number: 3, head: "patch-1", base: "main", author: "mona", headRepo: "mona/Hello-World" });
    mockPullFiles(gh, 3, [{ path: "src/index.js", patch: "@@ -1 +1 @@\n-export const answer = 41 + 1;\n+export const answer = 42;" }]);
    const payload = issueComment({ body: "/jules ask what does this change?", onPullRequest: true, issueNumber: 3 });
    Object.assign(payload.repository, { clone_url: cloneUrl, default_branch: "main" });
    gh.reaction(payload.comment.id);
    await app.receive("issue_comment", payload);
    await app.settle();

    await assertAnswered(() => app.store.findLatest("Codertocat", "Hello-World", 3));
    assert.ok(JSON.stringify(llm.requests[0]!.body).includes("base branch `main` (the head is in a fork): the changes below are NOT in it"));
    assert.deepEqual(seen, ["export const answer = 41 + 1;\n"], "the base was checked out, never the fork");
    assertNothingChanged(gh);
    gh.assertClean();
  });

  it("a plan returned anyway (an agent that ignores its tools) is posted as the answer, never as a plan, even under approval: auto", async () => {
    const agent = new AgentDouble();
    agent.willPlan(samplePlan("Treat an empty file as defaults"));
    app = await startTestApp({ agent });
    const gh = new GitHubMock().token().config("approval: auto\n", 2).role("Codertocat", "admin").issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits();
    const c = issueComment({ body: "/jules ask what would it take to accept empty config files?" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();

    const task = await assertAnswered(() => app.store.findLatest("Codertocat", "Hello-World", 1));
    assert.equal(agent.planRequests[0]?.task.kind, "ask");
    assert.equal(agent.executeRequests.length, 0, "never executed");
    const answer = gh.posted().find((b) => b.includes("openjules:answer")) ?? "";
    assert.match(answer, /Treat an empty file as defaults/);
    assert.match(answer, /\*\*How the change could be made\*\* \(nothing was changed\):\n1\. Treat an empty file as an empty config \(`src\/config\.ts`\)/);
    assert.match(answer, /Cost of this answer: 1,200 tokens in · 300 out · 2 model calls · \$0\.0123/);
    assert.ok(task.answer?.includes("Add a regression test"));
    assert.equal(gh.posted().filter((b) => b.includes("openjules:plan")).length, 0, "no plan comment");
    assert.equal(app.delivery.inputs.length, 0);
    assertNothingChanged(gh);
    gh.assertClean();
  });

  it("refuses a person without write access, as every command, and starts nothing", async () => {
    const agent = new AgentDouble();
    app = await startTestApp({ agent });
    const gh = new GitHubMock().token().config(null).role("mallory", "read").comments(1);
    const c = issueComment({ body: "/jules ask where are the secrets kept?", login: "mallory" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();

    const [reply] = gh.posted();
    assert.match(reply!, /only people with write access to this repository \(role admin, maintain or write\) can ask a question; your role here is `read`, so I did nothing\./);
    assert.equal(await app.store.findLatest("Codertocat", "Hello-World", 1), null);
    assert.equal(agent.planRequests.length, 0);
    gh.assertClean();
  });

  it("answers /jules ask without a question with what to write", async () => {
    app = await startTestApp({ agent: new AgentDouble() });
    const gh = new GitHubMock().token().config(null).comments(1);
    const c = issueComment({ body: "/jules ask" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();

    assert.match(gh.posted()[0]!, /`\/jules ask` needs a question after it, e\.g\. `\/jules ask where is the retry limit set\?`/);
    assert.equal(await app.store.findLatest("Codertocat", "Hello-World", 1), null);
    gh.assertClean();
  });
});
