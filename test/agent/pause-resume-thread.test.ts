import assert from "node:assert/strict";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createAgentFromSettings } from "../../src/agent/from-settings.ts";
import { RepoConfigSchema } from "../../src/config/repo-config.ts";
import { deliver } from "../../src/delivery/deliver.ts";
import type { ExtraBudget, Task } from "../../src/domain/model.ts";
import { createSandboxRunner } from "../../src/sandbox/index.ts";
import { requestedPause } from "../../src/tasks/pause.ts";
import { runExecution } from "../../src/tasks/run-execution.ts";
import { createWorkspaces } from "../../src/workspace/from-settings.ts";
import { userTexts } from "./agent-fixture.ts";
import { call } from "../helpers/fake-llm/script.ts";
import { type FakeLlm, startFakeLlm } from "../helpers/fake-llm/server.ts";
import { type GitServer, startGitServer } from "../helpers/git-server.ts";
import { branchSha, gitOut } from "../helpers/git/repo.ts";
import { GitHubMock, INSTALLATION_TOKEN } from "../helpers/github-mock.ts";
import { servedComment } from "../helpers/served-comment.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { within } from "../helpers/within.ts";

/**
 * A task paused on its budget and resumed, through the real pipeline: the
 * thread's /jules and /approve into a real Probot app, the real agent
 * against the fake model server, real git workspaces and delivery on a real
 * remote, GitHub mocked. The pause leaves a WIP commit on the task's branch
 * and the task `paused` with it; the resumed execution is checked out on
 * that branch, sees the earlier change, and opens the pull request on top.
 * Paused again after a resume (on a person's request), the summary is
 * cumulative: the next resume's first prompt, as the model server received
 * it, holds what both earlier runs did (their files, commands, last words
 * and the WIP commit each went on from). `run` goes to the real sandbox.
 */
describe("pause on a budget and resume from the checkpoint", { timeout: 240_000 }, () => {
  let llm: FakeLlm;
  let git: GitServer;
  let app: TestApp;
  let dataDir: string;
  const REPO = "paused-widget";
  const CONFIG = "budgets: { max_turns: 2 }\n";
  beforeAll(async () => {
    llm = await startFakeLlm();
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
    dataDir = await mkdtemp(join(tmpdir(), "jules-pause-"));
    await chmod(dataDir, 0o711);
    const runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 2 * 1024 ** 3, processes: 256 } });
    app = await startTestApp({
      dataDir,
      workspaces: createWorkspaces({ dataDir }, { cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, sparesPerRepo: 0 }),
      deliver,
      env: { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: "sk-test-pause-resume", OPENAI_BASE_URL: llm.openaiBaseUrl },
      agentFactory: (settings) => createAgentFromSettings(settings, { environments: undefined, runner, commandTimeoutMs: 60_000 }),
    });
  });
  afterAll(async () => {
    await app?.close();
    await llm?.close();
    await git?.close();
    GitHubMock.reset();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** What the resume use case does: paused -> approved, the pause kept as the record of the last one. */
  const resume = async (task: Task, extraBudget: ExtraBudget) => {
    const approved = await app.store.transition(task.id, { from: "paused", to: "approved", actor: "Codertocat", reason: "resumed", patch: { extraBudget } });
    assert.ok(approved);
    return approved;
  };
  const execute = async (task: Task) => {
    const ctx = {
      gh: await app.deps.github.forInstallation(task.installationId),
      config: RepoConfigSchema.parse({ budgets: { max_turns: 2 } }),
      ownLogin: null,
      attempt: 1,
      signal: new AbortController().signal,
    };
    await runExecution(app.deps, task.id, ctx);
    return (await app.store.get(task.id))!;
  };

  it("keeps the work as a WIP commit on the task's branch, and a resume goes on from it", async () => {
    const cloneUrl = await git.createRepo("Codertocat", REPO, [{ files: { "src/answer.js": "export const answer = 41 + 1;\n", "README.md": "# Widget\n" }, message: "initial" }]);
    const remote = git.repoPath("Codertocat", REPO);
    const gh = new GitHubMock("Codertocat", REPO);
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
    gh.token().config(CONFIG, 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();

    llm.push(call("submit_plan", { summary: "Make the answer a constant.", steps: [{ title: "Write 42", files: ["src/answer.js"] }], risks: [], verification: "Read it." }));
    await app.receive("issue_comment", servedComment(gh, "/jules make the answer a constant", cloneUrl, REPO));
    await app.settle();
    const planned = await app.store.findLatest("Codertocat", REPO, 1);
    assert.equal(planned?.state, "awaiting_approval", JSON.stringify(planned?.failure));

    // Two turns: the edit, then a look around; the third would pass max_turns, so the task pauses.
    llm.push(call("edit_file", { path: "src/answer.js", old_string: "41 + 1", new_string: "42" }), call("list_files", {}, { text: "Next: check the README." }));
    await app.receive("issue_comment", servedComment(gh, "/approve", cloneUrl, REPO));
    await app.settle();
    const paused = (await app.store.get(planned!.id))!;
    assert.equal(paused.state, "paused", JSON.stringify(paused.failure));
    assert.equal(paused.pause?.cause, "turns");
    assert.equal(paused.pause?.reason, "reached its limit of 2 model turns");
    assert.ok(paused.branch, "the branch is recorded");
    assert.equal(paused.pause?.checkpointSha, await branchSha(remote, paused.branch!), "the checkpoint is the pushed WIP commit");
    assert.match(await gitOut(remote, "log", "-1", "--format=%s", paused.branch!), /^WIP: /);
    assert.match(paused.pause?.summary ?? "", /Files changed in this run: `src\/answer\.js`[\s\S]*Next: check the README\./);
    assert.deepEqual(gh.bodies("POST", /\/pulls$/), [], "no pull request for a checkpoint");
    assert.deepEqual(
      (await app.store.history(paused.id)).slice(-1).map((e) => [e.from, e.to, e.face]),
      [["working", "paused", "system"]],
    );

    // Resume (as the resume use case does): paused -> approved with more turns, then the execute job.
    const approved = await resume(paused, { turns: 3, tokens: 0, costUsd: 0, minutes: 0 });
    llm.reset();
    llm.push(
      call("read_file", { path: "src/answer.js" }),
      call("edit_file", { path: "README.md", old_string: "# Widget", new_string: "# Widget\n\nThe answer is 42." }),
      call("finish", { summary: "The answer is the constant 42." }),
    );
    gh.userLookup("Codertocat", 583231).openPulls(paused.branch!, null).createPull({ number: 12, head: paused.branch!, draft: true }).reviewRequest(12).checkRun();
    // A message sent while the task waits reaches the model at the resumed run's first turn, through the store, once.
    await app.store.addMessage(paused.id, { author: "Codertocat", face: "cli", body: "Keep the README short." });
    await execute(approved);
    assert.match(JSON.stringify(llm.requests[0]!.body.messages), /author=\\"Codertocat\\" face=\\"cli\\">\\nKeep the README short\./);
    assert.ok(
      llm.requests.slice(1).every((r) => JSON.stringify(r.body.messages).split("Keep the README short.").length === 2),
      "taken once",
    );
    assert.deepEqual(await app.store.takeMessages(paused.id), []);

    const done = (await app.store.get(paused.id))!;
    assert.equal(done.state, "done", JSON.stringify(done.failure));
    assert.equal(done.pullRequestNumber, 12);
    const first = JSON.stringify(llm.requests[0]!.body.messages);
    assert.match(first, /# Where the work stopped/);
    assert.match(JSON.stringify(llm.requests[1]!.body.messages.at(-1)), /export const answer = 42;/, "the resumed run sees the earlier change");
    assert.equal(await gitOut(remote, "rev-parse", `${done.branch}^`), paused.pause?.checkpointSha, "the final commit is on top of the WIP commit");
    assert.equal(await gitOut(remote, "show", `${done.branch}:src/answer.js`), "export const answer = 42;");
    assert.equal(await gitOut(remote, "diff", "--name-only", `${done.branch}^`, done.branch!), "README.md", "the resumed run did not redo the earlier change");
  });

  it("paused again after a resume, the next resume's first prompt holds what both earlier runs did", async () => {
    llm.reset();
    const REPO = "twice-paused-widget";
    const cloneUrl = await git.createRepo("Codertocat", REPO, [
      { files: { "src/answer.js": "export const answer = 41 + 1;\n", "README.md": "# Widget\n", "docs/usage.md": "Usage\n" }, message: "initial" },
    ]);
    const remote = git.repoPath("Codertocat", REPO);
    const gh = new GitHubMock("Codertocat", REPO);
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
    gh.token().config(CONFIG, 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();

    llm.push(
      call("submit_plan", {
        summary: "Make the answer a constant and document it.",
        steps: [{ title: "Write 42", files: ["src/answer.js", "README.md", "docs/usage.md"] }],
        risks: [],
        verification: "Read it.",
      }),
    );
    await app.receive("issue_comment", servedComment(gh, "/jules make the answer a constant", cloneUrl, REPO));
    await app.settle();
    const planned = await app.store.findLatest("Codertocat", REPO, 1);
    assert.equal(planned?.state, "awaiting_approval", JSON.stringify(planned?.failure));

    // Run 1: an edit and a command; the third turn would pass max_turns, so it pauses.
    llm.push(
      call("edit_file", { path: "src/answer.js", old_string: "41 + 1", new_string: "42" }),
      call("run", { command: "grep -c 42 src/answer.js" }, { text: "RUN-ONE: the constant is in; the README is next." }),
    );
    await app.receive("issue_comment", servedComment(gh, "/approve", cloneUrl, REPO));
    await app.settle();
    const first = (await app.store.get(planned!.id))!;
    assert.equal(first.state, "paused", JSON.stringify(first.failure));
    assert.equal(first.pause?.cause, "turns");
    const wip1 = first.pause!.checkpointSha!;
    assert.equal(wip1, await branchSha(remote, first.branch!));

    // Run 2: resumed with more turns; a person asks for a pause while its second model call is in flight.
    llm.reset();
    llm.push(
      call("edit_file", { path: "README.md", old_string: "# Widget", new_string: "# Widget\n\nThe answer is 42." }),
      call("run", { command: "wc -l README.md" }, { text: "RUN-TWO: the README says 42; docs/usage.md is next.", delayMs: 1_500 }),
    );
    const running = execute(await resume(first, { turns: 4, tokens: 0, costUsd: 0, minutes: 0 }));
    await within(30_000, untilRequests(llm, 2), "the second run's second model call");
    await app.store.update(first.id, { pause: requestedPause("paused by Codertocat through the cli", new Date()) });
    const second = await running;
    assert.equal(second.state, "paused", JSON.stringify(second.failure));
    assert.deepEqual([second.pause?.cause, llm.requests.length], ["operator", 2]);
    const wip2 = second.pause!.checkpointSha!;
    assert.equal(await gitOut(remote, "rev-parse", `${second.branch}^`), wip1, "the second WIP commit is on top of the first");
    const secondRun = JSON.stringify(llm.requests[0]!.body.messages);
    assert.match(secondRun, /## Run 1, from the start of the approved plan/, "the first resume was given run 1");

    // Run 3: resumed again; it finishes.
    llm.reset();
    llm.push(
      call("edit_file", { path: "docs/usage.md", old_string: "Usage", new_string: "Usage: import answer (42)." }),
      call("finish", { summary: "The answer is the constant 42, documented." }),
    );
    gh.userLookup("Codertocat", 583231).openPulls(second.branch!, null).createPull({ number: 12, head: second.branch!, draft: true }).reviewRequest(12).checkRun();
    const done = await execute(await resume(second, { turns: 4, tokens: 0, costUsd: 0, minutes: 0 }));
    assert.equal(done.state, "done", JSON.stringify(done.failure));

    // The third run's first prompt, as the model server received it over HTTP.
    const prompt = userTexts(llm.requests[0]!).join("\n");
    assert.match(prompt, new RegExp(`Its work so far was committed \\(${wip2.slice(0, 12)} on ${second.branch}\\)`));
    const block = /<(pause-summary-[0-9a-f]{12})>\n([\s\S]*?)\n<\/\1>/.exec(prompt)?.[2];
    assert.ok(block, prompt);
    const facts = [
      // run 1
      "## Run 1, from the start of the approved plan",
      "it reached its limit of 2 model turns.",
      "Files changed in this run: `src/answer.js`.",
      "- `grep -c 42 src/answer.js`",
      "> RUN-ONE: the constant is in; the README is next.",
      // run 2, and the WIP commit it went on from
      `## Run 2, resumed from the WIP commit ${wip1.slice(0, 12)} on ${second.branch}`,
      "it paused by Codertocat through the cli.",
      "Files changed in this run: `README.md`.",
      "- `wc -l README.md`",
      "> RUN-TWO: the README says 42; docs/usage.md is next.",
    ];
    for (const fact of facts) assert.ok(block.includes(fact), `${fact}\nnot in\n${block}`);
    assert.ok(block.indexOf("## Run 1") < block.indexOf("## Run 2"), "oldest first");
    assert.equal(await gitOut(remote, "rev-parse", `${done.branch}^`), wip2, "the final commit is on top of the second WIP commit");
  });
});

async function untilRequests(llm: FakeLlm, n: number): Promise<void> {
  while (llm.requests.length < n) await new Promise((r) => setTimeout(r, 10));
}
