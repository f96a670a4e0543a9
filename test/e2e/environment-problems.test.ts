import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAgentFromSettings } from "../../src/agent/from-settings.ts";
import { deliver } from "../../src/delivery/deliver.ts";
import { pullRequestTitle } from "../../src/render/pull-request.ts";
import { createSandboxRunner, resolveTestCommands } from "../../src/sandbox/index.ts";
import { branchName } from "../../src/workspace/branch.ts";
import { createWorkspaces } from "../../src/workspace/from-settings.ts";
import { call, type Step } from "../helpers/fake-llm/script.ts";
import { startFakeLlm, type FakeLlm } from "../helpers/fake-llm/server.ts";
import { startGitServer, type GitServer } from "../helpers/git-server.ts";
import { GitHubMock, INSTALLATION_TOKEN } from "../helpers/github-mock.ts";
import { servedComment } from "../helpers/served-comment.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * A broken environment, through the whole app with the real sandbox, real git
 * and the real delivery (GitHub mocked, the model scripted): a setup that
 * fails stops the task before the model runs and the status says what ran,
 * what it printed and what to do; a test command whose tool is not installed
 * is an environment problem: the model is not sent back to fix code, and the
 * pull request is not marked failing.
 */
const INSTRUCTION = "make the value 42";
const PLAN = { summary: "Set the value to 42.", steps: [{ title: "Write 42 into src/value.txt", files: ["src/value.txt"] }], risks: [], verification: "The tests." };
const SETUP_SH = [
  "#!/bin/sh",
  "for i in 1 2 3 4 5; do printf 'resolving %s/5\\r' $i; done",
  "printf '\\033[1m\\033[31mnpm ERR!\\033[39m\\033[22m code E404\\n'",
  "printf '\\033[31mnpm ERR!\\033[39m 404 Not Found - GET https://registry.npmjs.org/left-pad-nonexistent\\n'",
  "exit 1",
  "",
].join("\n");

describe("environment problems through the whole app, in the real sandbox", { timeout: 300_000 }, () => {
  let llm: FakeLlm;
  let git: GitServer;
  let app: TestApp;
  let dataDir: string;

  beforeAll(async () => {
    llm = await startFakeLlm();
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
    dataDir = await mkdtemp(join(tmpdir(), "jules-e2e-env-"));
    await chmod(dataDir, 0o711);
    const workspaces = createWorkspaces({ dataDir }, { cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, sparesPerRepo: 0 });
    const runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 2 * 1024 ** 3, processes: 256 } });
    app = await startTestApp({
      dataDir,
      workspaces,
      deliver,
      env: { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: "sk-test-env-problems", OPENAI_BASE_URL: llm.openaiBaseUrl },
      agentFactory: (settings) => createAgentFromSettings(settings, { runner, commandTimeoutMs: 60_000, detectCommands: resolveTestCommands }),
    });
  });
  afterAll(async () => {
    await app?.close();
    await llm?.close();
    await git?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    GitHubMock.reset();
    llm.reset();
  });

  /** /jules, the plan, /approve: returns the task after execution settled. */
  async function planAndApprove(gh: GitHubMock, repo: string, cloneUrl: string, executing: Step[]) {
    llm.push(call("read_file", { path: "src/value.txt" }), call("submit_plan", PLAN));
    const start = servedComment(gh, `/jules ${INSTRUCTION}`, cloneUrl, repo);
    await app.receive("issue_comment", start);
    await app.settle();
    const planned = await app.store.findLatest("Codertocat", repo, 1);
    assert.equal(planned?.state, "awaiting_approval", JSON.stringify(planned?.failure));
    const before = llm.requests.length;
    llm.push(...executing);
    const approve = servedComment(gh, "/approve", cloneUrl, repo);
    await app.receive("issue_comment", approve);
    await app.settle();
    return { task: (await app.store.get(planned!.id))!, executionCalls: llm.requests.length - before };
  }

  it("a failing setup stops the task before the model runs; the status shows the command, its cleaned output and what to do", async () => {
    const cloneUrl = await git.createRepo("Codertocat", "Hello-World", [{ files: { "src/value.txt": "41\n", "setup.sh": SETUP_SH, "test.sh": "exit 0\n" }, message: "initial" }]);
    const gh = new GitHubMock();
    gh.token()
      .config("setup: sh setup.sh\ntest: sh test.sh\nsetup_network: none\n", 4)
      .role("Codertocat", "admin", 2)
      .issue(1, {}, 3)
      .threadComments(1)
      .comments(1, { times: 2 })
      .anyEdits()
      .identity();
    const { task, executionCalls } = await planAndApprove(gh, "Hello-World", cloneUrl, [call("finish", { summary: "never reached" })]);

    assert.equal(task.state, "failed");
    assert.equal(executionCalls, 0, "the model was never called for a broken environment");
    assert.equal(llm.remaining, 1, "its script was not touched");
    assert.match(task.failure!.reason, /^The setup command `sh setup\.sh` failed \(exit code 1, without network .*\), so the agent did not start\.$/);
    const status = gh.edited().at(-1)!;
    assert.match(status, /### ❌ Failed/);
    assert.match(status, /\*\*What happened:\*\* The setup command `sh setup\.sh` failed \(exit code 1/);
    assert.match(status, /```text\nnpm ERR! code E404\nnpm ERR! 404 Not Found - GET https:\/\/registry\.npmjs\.org\/left-pad-nonexistent\n```\n/);
    assert.doesNotMatch(status, /\x1b|\[31m|\r/, "no escape codes reach GitHub");
    assert.match(status, /\*\*What you can do:\*\* Fix `setup:` in \.github\/jules\.yml .*`setup_network: public`.*JULES_SETUP_ALLOW_HOSTS.*`on_setup_failure: continue`/);
    assert.equal(gh.bodies("POST", /\/pulls$/).length, 0, "no pull request");
  });

  it("a test command whose tool is missing is an environment problem: no second round for the model, a pull request not marked failing, a neutral check", async () => {
    const cloneUrl = await git.createRepo("Codertocat", "Tooling", [{ files: { "src/value.txt": "41\n" }, message: "initial" }]);
    const title = pullRequestTitle({ instruction: INSTRUCTION, issueTitle: "Spelling error in the README file", issueNumber: 1 });
    const branch = branchName(1, title);
    const gh = new GitHubMock("Codertocat", "Tooling");
    gh.token().config("test: bun test\n", 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();
    gh.userLookup("Codertocat", 583231).openPulls(branch, null).createPull({ number: 12, head: branch, draft: true }).reviewRequest(12).checkRun();
    const executing = [call("edit_file", { path: "src/value.txt", old_string: "41", new_string: "42" }), call("finish", { summary: "src/value.txt now holds 42." })];
    const { task, executionCalls } = await planAndApprove(gh, "Tooling", cloneUrl, executing);

    assert.equal(task.state, "done", `${JSON.stringify(task.failure)} ${JSON.stringify(llm.requests.at(-1)?.body.messages?.slice(-3))}`);
    assert.equal(executionCalls, 2, "edit and finish, and no fix round after the tests");
    assert.ok(!llm.requests.some((r) => JSON.stringify(r.body).includes("The tests failed after your changes")), "the model was not asked to fix code");
    const [pr] = gh.bodies<{ body: string; draft: boolean }>("POST", /\/pulls$/);
    assert.doesNotMatch(pr!.body, /The tests fail on this branch/);
    assert.match(pr!.body, /⚠️ `bun test` could not run: `bun` is not installed where OpenJules runs the repository's commands \(exit code 127: \/bin\/sh: 1: bun: not found\)\./);
    assert.match(pr!.body, /\*\*To fix the environment:\*\* .*JULES_SANDBOX_READONLY_PATHS/);
    const [check] = gh.bodies<{ conclusion: string; output: { title: string } }>("POST", /\/check-runs$/);
    assert.equal(check?.conclusion, "neutral");
    assert.equal(check?.output.title, "Tests could not run");
    const status = gh.edited().at(-1)!;
    assert.match(status, /The tests could not run, so the pull request is not marked as failing: `bun` is not installed/);
    assert.doesNotMatch(status, /still fail/);
  });
});
