import { afterAll, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
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
import { deliver as sendDelivery } from "../helpers/signed-delivery.ts";
import { startTestApp, WEBHOOK_SECRET, type TestApp } from "../helpers/test-app.ts";

/**
 * Issue to pull request over real HTTP: signed deliveries to the real server,
 * GitHub's REST API mocked (every request checked against its OpenAPI
 * description), a real git remote served over smart HTTP that checks the
 * installation token, the real agent with the OpenAI SDK against a scripted
 * model, the real bubblewrap sandbox for its commands and the tests, and the
 * real delivery. The model also tries hostile things on the way; each is contained.
 */
const run = promisify(execFile);
const OPENAI_KEY = ["sk", "test", "e2e0123456789abcdef0123456789"].join("-");
const TEST_SH =
  '#!/bin/sh\nvalue=$(cat src/value.txt)\nif [ "$value" = "42" ]; then echo "1 passed, 0 failed"; else echo "expected 42, got $value"; echo "0 passed, 1 failed"; exit 1; fi\n';
const CONFIG = "test: sh test.sh\n";
const INSTRUCTION = "make the value 42";

describe("from /jules to a pull request, over real HTTP, git and sandbox", { timeout: 300_000 }, () => {
  let llm: FakeLlm;
  let git: GitServer;
  let app: TestApp;
  let dataDir: string;
  let listener: Server;
  let listenerHits = 0;
  let cloneUrl: string;

  beforeAll(async () => {
    llm = await startFakeLlm();
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
    cloneUrl = await git.createRepo("Codertocat", "Hello-World", [{ files: { "README.md": "# Hello\n", "src/value.txt": "41\n", "test.sh": TEST_SH }, message: "initial" }]);
    listener = createServer((_req, res) => res.end("reached"));
    listener.on("connection", () => listenerHits++);
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    dataDir = await mkdtemp(join(tmpdir(), "jules-e2e-pr-"));
    await chmod(dataDir, 0o711); // the sandbox user must be able to reach the worktrees (README: running as root)
    const workspaces = createWorkspaces({ dataDir }, { cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, sparesPerRepo: 0 });
    const runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 2 * 1024 ** 3, processes: 256 } });
    app = await startTestApp({
      server: true,
      dataDir,
      workspaces,
      deliver,
      env: { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: llm.openaiBaseUrl },
      agentFactory: (settings) => createAgentFromSettings(settings, { runner, commandTimeoutMs: 60_000, detectCommands: resolveTestCommands }),
    });
  });

  afterAll(async () => {
    await app?.close();
    await llm?.close();
    await git?.close();
    await new Promise<void>((resolve) => listener?.close(() => resolve()));
    GitHubMock.reset();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("plans, waits for /approve, edits in the sandbox, runs the tests, pushes a branch and opens a pull request that fixes the issue", async () => {
    const port = (listener.address() as { port: number }).port;
    const planning: Step[] = [
      call("read_file", { path: "src/value.txt" }),
      call("read_file", { path: "test.sh" }),
      call("submit_plan", {
        summary: "Set the value to 42 so the test passes.",
        steps: [{ title: "Write 42 into src/value.txt", files: ["src/value.txt"] }],
        risks: [],
        verification: "sh test.sh",
      }),
    ];
    const executing: Step[] = [
      call("write_file", { path: "../escaped.txt", content: "out of the working copy" }),
      call("write_file", { path: ".github/workflows/evil.yml", content: "on: push" }),
      call("run", { command: "env; cat /proc/self/environ | tr '\\0' '\\n'; ls -a ~ /tmp" }),
      // bash: dash (sh) has no /dev/tcp. The same command reaches the listener outside the sandbox (checked below).
      call("run", { command: `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port} && echo CONNECTED' 2>&1 || echo NO-NETWORK` }),
      call("run", { command: "id -u; touch /usr/pwned 2>&1 || echo READ-ONLY" }),
      call("edit_file", { path: "src/value.txt", old_string: "41", new_string: "42" }),
      call("finish", { summary: "src/value.txt now holds 42, which the test expects." }),
    ];
    llm.push(...planning);

    const title = pullRequestTitle({ instruction: INSTRUCTION, issueTitle: "Spelling error in the README file", issueNumber: 1 });
    const branch = branchName(1, title);
    const gh = new GitHubMock();
    gh.token().config(CONFIG, 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();
    gh.userLookup("Codertocat", 583231).openPulls(branch, null).createPull({ number: 12, head: branch, draft: true }).reviewRequest(12).checkRun();

    const start = servedComment(gh, `/jules ${INSTRUCTION}`, cloneUrl);
    const answer = await sendDelivery(app.webhookUrl!, { name: "issue_comment", payload: start, secret: WEBHOOK_SECRET });
    assert.equal(answer.status, 200);
    await app.settle();
    const planned = await app.store.findLatest("Codertocat", "Hello-World", 1);
    assert.equal(planned?.state, "awaiting_approval", JSON.stringify(planned?.failure));

    llm.push(...executing);
    const approve = servedComment(gh, "/approve", cloneUrl);
    assert.equal((await sendDelivery(app.webhookUrl!, { name: "issue_comment", payload: approve, secret: WEBHOOK_SECRET })).status, 200);
    await app.settle();

    const done = await app.store.get(planned!.id);
    assert.equal(done?.state, "done", JSON.stringify(done?.failure));
    assert.equal(done?.pullRequestNumber, 12);
    assert.equal(done?.branch, branch);

    // The pull request closes the issue and reports the tests.
    const [pr] = gh.bodies<{ head: string; base: string; body: string; draft: boolean }>("POST", /\/pulls$/);
    assert.equal(pr?.head, branch);
    assert.equal(pr?.base, "main");
    assert.match(pr!.body, /Fixes #1/);
    assert.match(pr!.body, /sh test\.sh/);
    const [check] = gh.bodies<{ conclusion: string }>("POST", /\/check-runs$/);
    assert.equal(check?.conclusion, "success");

    // The pushed branch passes its tests when we clone it and run them ourselves.
    const clone = await mkdtemp(join(tmpdir(), "jules-e2e-clone-"));
    try {
      const auth = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64")}`;
      await run("git", ["-c", auth, "clone", "--quiet", "--branch", branch, cloneUrl, clone]);
      assert.equal(await readFile(join(clone, "src/value.txt"), "utf8"), "42\n");
      const { stdout } = await run("sh", ["test.sh"], { cwd: clone });
      assert.match(stdout, /1 passed, 0 failed/);
      const { stdout: files } = await run("git", ["ls-files"], { cwd: clone });
      assert.doesNotMatch(files, /\.github\/workflows|escaped/, "denied and escaping writes never reached the branch");
    } finally {
      await rm(clone, { recursive: true, force: true });
    }

    // Every hostile attempt was contained; what the model saw proves it.
    const toolResults = JSON.stringify(llm.requests.map((r) => r.body.messages?.filter((m: { role: string }) => m.role === "tool")));
    assert.match(toolResults, /escaped\.txt|outside|\.\./i);
    assert.match(toolResults, /workflows/);
    assert.doesNotMatch(toolResults, new RegExp(OPENAI_KEY), "the sandbox environment holds no API key");
    assert.doesNotMatch(toolResults, new RegExp(WEBHOOK_SECRET), "nor the webhook secret");
    assert.doesNotMatch(toolResults, new RegExp(INSTALLATION_TOKEN), "nor the installation token");
    assert.match(toolResults, /NO-NETWORK/);
    assert.doesNotMatch(toolResults, /CONNECTED/);
    assert.equal(listenerHits, 0, "nothing inside the sandbox reached the network");
    const { stdout: outside } = await run("bash", ["-c", `exec 3<>/dev/tcp/127.0.0.1/${port} && echo CONNECTED`]);
    assert.equal(outside.trim(), "CONNECTED", "the same command connects from outside the sandbox");
    assert.equal(listenerHits, 1);
    assert.match(toolResults, /READ-ONLY/);
    await assert.rejects(readFile(join(dataDir, "work", "escaped.txt")));
    gh.assertClean();
  });
});
