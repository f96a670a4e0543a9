import { afterAll, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
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
 * Only the agent's change is committed, through the real path (signed
 * webhooks, the real agent against a scripted model, the real bubblewrap
 * sandbox, real git and delivery). The repository's setup leaves a file
 * behind; its tests, like zserge/jsmn's, leave build binaries in the
 * working copy, and a hostile test writes what it could read to
 * `stolen.txt` and slips a line into the file the agent edited. The agent
 * also makes a file with a generator it keeps, and runs a checking command
 * it does not keep. The branch holds the edit and the kept file only; the
 * pull request lists every other path and why.
 */
const run = promisify(execFile);
const TEST_SH = [
  "#!/bin/sh",
  "for t in test_default test_strict test_links test_strict_links; do printf '\\177ELF binary' > $t; done",
  "env > stolen.txt",
  "value=$(head -n 1 src/value.txt)",
  "echo 'INJECTED BY THE TEST' >> src/value.txt",
  'if [ "$value" = "42" ]; then echo "1 passed, 0 failed"; else echo "expected 42, got $value"; echo "0 passed, 1 failed"; exit 1; fi',
  "",
].join("\n");
const CONFIG = "setup: echo installed > .setup-stamp\ntest: sh test.sh\n";
const INSTRUCTION = "make the value 42";

describe("only the agent's change is committed (real sandbox, git and delivery)", { timeout: 300_000 }, () => {
  let llm: FakeLlm;
  let git: GitServer;
  let app: TestApp;
  let dataDir: string;
  let cloneUrl: string;

  beforeAll(async () => {
    llm = await startFakeLlm();
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
    cloneUrl = await git.createRepo("Codertocat", "Hello-World", [
      { files: { "README.md": "# Hello\n", "src/value.txt": "41\n", "test.sh": TEST_SH, ".gitignore": "*.log.ignored\n" }, message: "initial" },
    ]);
    dataDir = await mkdtemp(join(tmpdir(), "jules-e2e-change-"));
    await chmod(dataDir, 0o711);
    const workspaces = createWorkspaces({ dataDir }, { cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, sparesPerRepo: 0 });
    const runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 2 * 1024 ** 3, processes: 256 } });
    app = await startTestApp({
      server: true,
      dataDir,
      workspaces,
      deliver,
      env: { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: "sk-test-only-the-change", OPENAI_BASE_URL: llm.openaiBaseUrl },
      agentFactory: (settings) => createAgentFromSettings(settings, { runner, commandTimeoutMs: 60_000, detectCommands: resolveTestCommands }),
    });
  });

  afterAll(async () => {
    await app?.close();
    await llm?.close();
    await git?.close();
    GitHubMock.reset();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("commits the agent's edit and the file it kept, never what setup, the tests or its unkept commands left", async () => {
    llm.push(
      call("read_file", { path: "src/value.txt" }),
      call("submit_plan", {
        summary: "Set the value to 42.",
        steps: [{ title: "Write 42 into src/value.txt", files: ["src/value.txt"] }],
        risks: [],
        verification: "sh test.sh",
      }),
    );
    const executing: Step[] = [
      call("edit_file", { path: "src/value.txt", old_string: "41", new_string: "42" }),
      // An `npm init`-like generator the agent keeps.
      call("run", { command: `printf '{ "name": "hello" }\\n' > package.json`, keep: true }),
      // A checking command it does not keep: its file stays out, its change to the edited file is undone.
      call("run", { command: "echo checked > check.log; echo 'FROM AN UNKEPT COMMAND' >> src/value.txt" }),
      call("finish", { summary: "src/value.txt now holds 42, and the package has a manifest." }),
    ];

    const title = pullRequestTitle({ instruction: INSTRUCTION, issueTitle: "Spelling error in the README file", issueNumber: 1 });
    const branch = branchName(1, title);
    const gh = new GitHubMock();
    gh.token().config(CONFIG, 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();
    gh.userLookup("Codertocat", 583231).openPulls(branch, null).createPull({ number: 12, head: branch, draft: true }).reviewRequest(12).checkRun();

    const start = servedComment(gh, `/jules ${INSTRUCTION}`, cloneUrl);
    assert.equal((await sendDelivery(app.webhookUrl!, { name: "issue_comment", payload: start, secret: WEBHOOK_SECRET })).status, 200);
    await app.settle();
    const planned = await app.store.findLatest("Codertocat", "Hello-World", 1);
    assert.equal(planned?.state, "awaiting_approval", JSON.stringify(planned?.failure));

    llm.push(...executing);
    const approve = servedComment(gh, "/approve", cloneUrl);
    assert.equal((await sendDelivery(app.webhookUrl!, { name: "issue_comment", payload: approve, secret: WEBHOOK_SECRET })).status, 200);
    await app.settle();
    const done = await app.store.get(planned!.id);
    assert.equal(done?.state, "done", JSON.stringify(done?.failure));

    const clone = await mkdtemp(join(tmpdir(), "jules-e2e-change-clone-"));
    try {
      const auth = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64")}`;
      await run("git", ["-c", auth, "clone", "--quiet", "--branch", branch, cloneUrl, clone]);
      const { stdout: files } = await run("git", ["ls-files"], { cwd: clone });
      assert.deepEqual(files.split("\n").filter(Boolean).sort(), [".gitignore", "README.md", "package.json", "src/value.txt", "test.sh"]);
      assert.equal(await readFile(join(clone, "src/value.txt"), "utf8"), "42\n", "the agent's edit, without what the test or an unkept command appended");
      assert.equal(await readFile(join(clone, "package.json"), "utf8"), '{ "name": "hello" }\n');
    } finally {
      await rm(clone, { recursive: true, force: true });
    }

    const [pr] = gh.bodies<{ body: string }>("POST", /\/pulls$/);
    const body = pr!.body;
    assert.match(body, /### Left out/);
    for (const binary of ["test_default", "test_strict", "test_links", "test_strict_links", "stolen.txt"]) {
      assert.match(body, new RegExp(`\`${binary}\`: made by the test run`), binary);
    }
    assert.match(body, /`\.setup-stamp`: made by the setup command/);
    assert.match(body, /`check\.log`: made by a command the agent ran to check its work/);
    assert.match(body, /`src\/value\.txt`: made by a command the agent ran[^\n]*put back/);

    // The model was told what its commands changed and what was kept.
    const toolResults = JSON.stringify(llm.requests.map((r) => r.body.messages?.filter((m: { role: string }) => m.role === "tool")));
    assert.match(toolResults, /kept as part of your change: package\.json/);
    assert.match(toolResults, /never committed: check\.log/);
    gh.assertClean();
  });
});
