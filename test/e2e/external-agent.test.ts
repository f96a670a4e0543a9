import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { withExternalAgents } from "../../src/agent/external/from-settings.ts";
import { createAgentFromSettings } from "../../src/agent/from-settings.ts";
import { transcriptPath } from "../../src/agent/transcript.ts";
import { deliver } from "../../src/delivery/deliver.ts";
import { pullRequestTitle } from "../../src/render/pull-request.ts";
import { createSandboxRunner, resolveTestCommands } from "../../src/sandbox/index.ts";
import { branchName } from "../../src/workspace/branch.ts";
import { createWorkspaces } from "../../src/workspace/from-settings.ts";
import { startGitServer, type GitServer } from "../helpers/git-server.ts";
import { GitHubMock, INSTALLATION_TOKEN } from "../helpers/github-mock.ts";
import { servedComment } from "../helpers/served-comment.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * An external agent behind OpenJules's whole front door: signed webhooks into
 * the app, `agent:` in .github/jules.yml choosing one of the operator's
 * JULES_AGENTS, the stand-in agent program (test/helpers/standin-agent.sh)
 * planning and editing in the real bubblewrap sandbox through the file
 * channel, then the same tests, delivery (real git, a real remote) and pull
 * request as for the built-in agent, GitHub mocked and checked against its
 * OpenAPI description. No provider of OpenJules's own is configured. Also: an
 * agent that prints its key (nothing published holds it), an agent whose
 * outbox is malformed, and a repository naming an agent the operator does
 * not offer (each a clear failure in the thread).
 */
const run = promisify(execFile);
const HELPERS = resolve(dirname(fileURLToPath(import.meta.url)), "../helpers");
const KEY = "standin-e2e-key-4c1f8a2b9d3e7f65";
const INSTRUCTION = "make the value 42";
const TEST_SH = 'value=$(cat src/value.txt); [ "$value" = 42 ] && echo "1 passed" || { echo "expected 42, got $value"; exit 1; }\n';
const standin = (name: string, mode: string) => ({
  name,
  command: ["/bin/sh", join(HELPERS, "standin-agent.sh"), "{inbox}"],
  env: { STANDIN_MODE: mode, STANDIN_AGENT_KEY: { from: "HOST_STANDIN_KEY", secret: true } },
  timeout_seconds: 120,
});
const AGENTS = JSON.stringify([standin("standin", "normal"), standin("standin-leak", "leak"), standin("standin-broken", "malformed")]);

describe("an external agent through the whole pipeline (real sandbox, git and delivery)", { timeout: 300_000 }, () => {
  let git: GitServer;
  let app: TestApp;
  let dataDir: string;

  beforeAll(async () => {
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
    dataDir = await mkdtemp(join(tmpdir(), "jules-e2e-external-"));
    await chmod(dataDir, 0o711);
    const workspaces = createWorkspaces({ dataDir }, { cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, sparesPerRepo: 0 });
    const runner = createSandboxRunner({ mode: "bubblewrap", extraReadOnly: [HELPERS], limits: { memoryBytes: 2 * 1024 ** 3, processes: 256 } });
    app = await startTestApp({
      dataDir,
      workspaces,
      deliver,
      env: { JULES_AGENTS: AGENTS, HOST_STANDIN_KEY: KEY },
      agentFactory: (settings) =>
        withExternalAgents(createAgentFromSettings(settings, { runner, commandTimeoutMs: 60_000, detectCommands: resolveTestCommands }), settings, {
          runner,
          commandTimeoutMs: 60_000,
          detectCommands: resolveTestCommands,
        }),
    });
  });

  afterAll(async () => {
    await app?.close();
    await git?.close();
    GitHubMock.reset();
    await rm(dataDir, { recursive: true, force: true });
  });
  afterEach(() => GitHubMock.reset());

  const repoFiles = { "README.md": "# Hello\n", "src/value.txt": "41\n", "test.sh": TEST_SH };
  const branchFor = () => branchName(1, pullRequestTitle({ instruction: INSTRUCTION, issueTitle: "Spelling error in the README file", issueNumber: 1 }));

  let installations = 7000;
  /** A comment on an installation of its own, so each test asks for its own installation token (none is cached from another test). */
  function comment(gh: GitHubMock, body: string, cloneUrl: string, repo: string, installation: number) {
    const payload = servedComment(gh, body, cloneUrl, repo);
    payload.installation = { ...payload.installation, id: installation } as typeof payload.installation;
    return payload;
  }

  /** /jules and, once a plan waits, /approve: the task as it ended. */
  async function runTask(gh: GitHubMock, repo: string, cloneUrl: string, approve: boolean) {
    const installation = ++installations;
    await app.receive("issue_comment", comment(gh, `/jules ${INSTRUCTION}`, cloneUrl, repo, installation));
    await app.settle();
    const planned = (await app.store.findLatest("Codertocat", repo, 1))!;
    if (approve) {
      assert.equal(planned.state, "awaiting_approval", JSON.stringify(planned.failure));
      await app.receive("issue_comment", comment(gh, "/approve", cloneUrl, repo, installation));
      await app.settle();
    }
    return (await app.store.get(planned.id))!;
  }

  async function branchFiles(cloneUrl: string, branch: string): Promise<Map<string, string>> {
    const clone = await mkdtemp(join(tmpdir(), "jules-e2e-external-clone-"));
    try {
      const auth = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64")}`;
      await run("git", ["-c", auth, "clone", "--quiet", "--branch", branch, cloneUrl, clone]);
      const { stdout } = await run("git", ["ls-files"], { cwd: clone });
      const files = new Map<string, string>();
      for (const path of stdout.split("\n").filter(Boolean)) files.set(path, await readFile(join(clone, path), "utf8"));
      return files;
    } finally {
      await rm(clone, { recursive: true, force: true });
    }
  }

  function mockFullRun(gh: GitHubMock, config: string) {
    const branch = branchFor();
    gh.token().config(config, 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();
    gh.userLookup("Codertocat", 583231).openPulls(branch, null).createPull({ number: 12, head: branch, draft: false }).reviewRequest(12).checkRun();
    return branch;
  }

  it("plans read-only and executes through the file channel; OpenJules tests, commits only the change and opens the pull request", async () => {
    const repo = "external-normal";
    const cloneUrl = await git.createRepo("Codertocat", repo, [{ files: repoFiles, message: "initial" }]);
    const gh = new GitHubMock("Codertocat", repo);
    const branch = mockFullRun(gh, "agent: standin\ntest: sh test.sh\n");
    const task = await runTask(gh, repo, cloneUrl, true);
    assert.equal(task.state, "done", JSON.stringify(task.failure));
    assert.equal(task.pullRequestNumber, 12);
    assert.equal(task.plan?.summary, "Set the value to 42 (the working copy was writable while planning: no).", "the stand-in could not write while planning");
    assert.equal(task.usage?.inputTokens, 1200, "the usage the agent reported counts in the task's");
    const files = await branchFiles(cloneUrl, branch);
    assert.deepEqual([...files.keys()].sort(), ["README.md", "src/value.txt", "test.sh"]);
    assert.equal(files.get("src/value.txt"), "42\n");
    const [pr] = gh.bodies<{ body: string; head: string }>("POST", /\/pulls$/);
    assert.match(pr!.body, /src\/value\.txt now holds 42\./);
    const [check] = gh.bodies<{ conclusion: string }>("POST", /\/check-runs$/);
    assert.equal(check?.conclusion, "success", "the tests OpenJules ran after the agent passed");
    const planComment = gh.posted().find((b) => b.includes("Write 42 into src/value.txt"));
    assert.ok(planComment, "the stand-in's plan was posted for approval");
    const transcript = await readFile(transcriptPath(dataDir, task.id), "utf8");
    for (const file of ["inbox.json", "prompt.md", "outbox.json"]) assert.match(transcript, new RegExp(`"file":"${file.replace(".", "\\.")}"`));
    gh.assertClean();
  });

  it("an agent that prints its key and writes it into its summary: nothing is pushed, and the key is in nothing published, stored or logged", async () => {
    const repo = "external-leak";
    const cloneUrl = await git.createRepo("Codertocat", repo, [{ files: repoFiles, message: "initial" }]);
    const gh = new GitHubMock("Codertocat", repo);
    gh.token()
      .config("agent: standin-leak\ntest: sh test.sh\n", 4)
      .role("Codertocat", "admin", 2)
      .issue(1, {}, 3)
      .threadComments(1)
      .comments(1, { times: 2 })
      .anyEdits()
      .identity();
    gh.userLookup("Codertocat", 583231);
    const task = await runTask(gh, repo, cloneUrl, true);
    assert.equal(task.state, "failed");
    assert.equal(task.failure?.phase, "pull request", JSON.stringify(task.failure));
    assert.match(
      task.failure?.reason ?? "",
      /^Nothing was pushed: the change contains what looks like a secret \(commit message 1, line \d+: configured-secret; the pull request description/,
    );
    assert.equal(gh.bodies("POST", /\/pulls$/).length, 0, "no pull request");
    const { stdout: heads } = await run("git", ["ls-remote", "--heads", git.repoPath("Codertocat", repo)]);
    assert.doesNotMatch(heads, new RegExp(branchFor()), "the branch was never pushed");
    assert.match(gh.edited().at(-1) ?? "", /### ❌ Failed/);
    assert.doesNotMatch(JSON.stringify(gh.requests), new RegExp(KEY), "no request to GitHub holds the key");
    assert.doesNotMatch(await readFile(transcriptPath(dataDir, task.id), "utf8"), new RegExp(KEY), "nor the transcript");
    const events = await app.store.readEvents(task.id, 0, 1000);
    assert.match(JSON.stringify(events), /my key is \[REDACTED:/, "the agent's output is in the event log, redacted");
    assert.doesNotMatch(JSON.stringify(events), new RegExp(KEY), "nor the event log");
    assert.doesNotMatch(JSON.stringify(await app.store.get(task.id)), new RegExp(KEY), "nor the task record");
    // The bot's identity (for the commit) is cached by the process: asked only when no earlier test asked it.
    assert.deepEqual(gh.violations, []);
    const pending = [...gh.scope.pendingMocks(), ...gh.editScope.pendingMocks()].filter((m) => !/\/app$|\/users\/openjules/.test(m));
    assert.deepEqual(pending, []);
  });

  /** A task whose planning fails: the status comment as last edited. */
  async function failedPlanning(repo: string, config: string): Promise<string> {
    const cloneUrl = await git.createRepo("Codertocat", repo, [{ files: repoFiles, message: "initial" }]);
    const gh = new GitHubMock("Codertocat", repo);
    gh.token().config(config, 2).role("Codertocat", "admin", 1).issue(1, {}, 2).threadComments(1).comments(1).anyEdits();
    const task = await runTask(gh, repo, cloneUrl, false);
    assert.equal(task.state, "failed");
    gh.assertClean();
    const status = gh.edited().at(-1) ?? "";
    assert.match(status, /### ❌ Failed/);
    return status;
  }

  it("an agent whose outbox is malformed fails the task in the thread, saying which field", async () => {
    const status = await failedPlanning("external-broken", "agent: standin-broken\n");
    assert.match(status, /The agent standin-broken wrote an outbox that does not follow the file channel \(version 1\): status: Invalid option/);
    assert.match(status, /JULES_AGENTS/);
  });

  it("a repository naming an agent the operator does not offer fails in the thread, naming those it does", async () => {
    const status = await failedPlanning("external-unknown", "agent: claude-code\n");
    assert.match(status, /asks for the agent `claude-code`, which this OpenJules installation does not offer \(it offers `builtin`, `standin`, `standin-leak`, `standin-broken`\)/);
  });
});
