/**
 * `openjules channel` end to end: the real bin as a child process, a
 * stand-in chat process (test/helpers/chat-standin.ts, its own process)
 * writing prompts to the inbox in pieces and reading the outbox, on this
 * machine's store (the embedded SQLite file of a temporary data directory;
 * GitHub is the stand-in server with the installation's repositories) or on
 * a server (--server: the API fixture, GitHub mocked with nock). No worker
 * runs: this test moves each task through the state machine's legal
 * transitions as a worker would, and approves or cancels through the CLI.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import type { Task, TaskState } from "../../src/domain/model.ts";
import { planHash } from "../../src/domain/plan-hash.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { apiFixture, type ApiFixture, OPERATOR } from "../api/fixture.ts";
import { samplePlan } from "../helpers/agent-double.ts";
import { type ChatStandin, chatStandin, type OutboxLine } from "../helpers/chat-standin.ts";
import { type CliChild, spawnCli, until } from "../helpers/cli-child.ts";
import { mockAnyTokens, mockRepoInstallation, mockRepository } from "../helpers/github-app-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { GitHubRepos } from "../helpers/github-repos.ts";
import { type GitHubStandin, startGitHubStandin } from "../helpers/github-standin.ts";
import { type GitServer, startGitServer } from "../helpers/git-server.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { INSTALLATION_ID } from "../helpers/payloads.ts";

const REPO = "Codertocat/Hello-World";
const PR = { pullRequestNumber: 12, pullRequestUrl: "https://github.com/Codertocat/Hello-World/pull/12" };

/** Moves the task along `path` through the store's transitions, with what planning, approval and delivery leave. */
async function move(store: TaskStore, id: string, path: TaskState[], last: Partial<Task> = {}): Promise<Task> {
  let task = (await store.get(id))!;
  for (const [i, to] of path.entries()) {
    const plan = samplePlan("Guard the loader against an empty config file");
    const context = { title: task.instruction, body: "", comments: [], issueDigest: "d" };
    const patch: Partial<Task> = to === "awaiting_approval" ? { plan, planContext: context, planHash: planHash(plan, context), planVersion: task.planVersion + 1 } : {};
    const moved = await store.transition(id, { from: task.state, to, actor: "openjules", reason: `to ${to}`, patch: { ...patch, ...(i === path.length - 1 ? last : {}) } });
    assert.ok(moved, `${task.state} -> ${to}`);
    task = moved;
  }
  return task;
}

/** The one task whose instruction is `text`, once the channel made it (and never a second one). */
async function taskOf(store: TaskStore, text: string): Promise<Task> {
  let found: Task[] = [];
  for (const start = Date.now(); found.length === 0 && Date.now() - start < 15_000; await new Promise((r) => setTimeout(r, 50)))
    found = (await store.list()).filter((t) => t.instruction === text);
  assert.equal(found.length, 1, `one task for "${text}"`);
  return found[0]!;
}

const prompt = (id: string, text: string, extra: object = {}) => JSON.stringify({ version: 1, id, prompt: text, ...extra });
const statuses = (lines: OutboxLine[]) => lines.map((l) => `${l.id} ${l.status}`);
const outboxOf = async (path: string) =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as OutboxLine);

describe("openjules channel on this machine (spawned, a stand-in chat process, the SQLite store)", () => {
  let dataDir: string;
  let store: TaskStore;
  let git: GitServer;
  let github: GitHubStandin;
  let env: Record<string, string>;
  const open: { child: CliChild; bot?: ChatStandin }[] = [];

  const channel = (dir: string, extra: string[] = []) => {
    const child = spawnCli(["channel", "--inbox", join(dir, "inbox.jsonl"), "--outbox", join(dir, "outbox.jsonl"), "--repo", REPO, "--poll-ms", "100", ...extra], env, dir);
    open.push({ child });
    return child;
  };
  const started = (child: CliChild) => until("the channel watches its inbox", () => child.stderr().includes("Watching "));
  const fresh = async () => {
    const dir = await mkdtemp(join(tmpdir(), "jules-channel-"));
    const bot = chatStandin(join(dir, "inbox.jsonl"), join(dir, "outbox.jsonl"));
    return { dir, bot };
  };
  const stop = async (child: CliChild) => {
    child.kill("SIGINT");
    assert.equal(await child.exit, 130, child.stderr());
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "jules-channel-data-"));
    store = openSqliteStore(join(dataDir, "openjules.db"));
    git = await startGitServer();
    github = await startGitHubStandin({ extensions: [new GitHubRepos({ git, repositories: [{ fullName: REPO, defaultBranch: "trunk" }], installationId: INSTALLATION_ID })] });
    env = {
      APP_ID: "1",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: "secret",
      JULES_DATA_DIR: dataDir,
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      JULES_GITHUB_WRITE_INTERVAL_MS: "0",
    };
  }, 30_000);
  afterEach(async () => {
    for (const { child } of open.splice(0)) child.kill("SIGKILL");
  });
  afterAll(async () => {
    await store?.close();
    await github?.close();
    await git?.close();
    await rm(dataDir, { recursive: true, force: true });
    assert.deepEqual(github.violations, []);
  });

  it("a prompt: its plan while it waits for approval, then, approved with tasks approve, the pull request when done; one task, by the operator through the cli face", async () => {
    const { dir, bot } = await fresh();
    const child = channel(dir);
    await started(child);
    bot.say(prompt("chat-1", "Fix the crash when the config file is empty"));
    const task = await taskOf(store, "Fix the crash when the config file is empty");
    assert.deepEqual([task.state, task.face, task.requestedBy, task.baseBranch, task.issueNumber], ["queued", "cli", "operator", "trunk", null]);

    await move(store, task.id, ["planning", "awaiting_approval"]);
    const waiting = await bot.waitFor("awaiting approval", (l) => l.status === "awaiting_approval");
    assert.deepEqual(waiting, {
      version: 1,
      id: "chat-1",
      task: task.id,
      status: "awaiting_approval",
      summary: `Plan 1 waits for approval: Guard the loader against an empty config file. Approve it (openjules tasks approve ${task.id}) or ask for another (openjules tasks revise ${task.id} <feedback>).`,
      pullRequest: null,
      plan: { ...samplePlan("Guard the loader against an empty config file"), version: 1, costEstimateUsd: null },
      error: null,
    });

    const approve = spawnCli(["tasks", "approve", task.id], env, dir);
    assert.equal(await approve.exit, 0, approve.stderr());
    await move(store, task.id, ["working", "done"], PR);
    const done = await bot.waitFor("done", (l) => l.status === "done");
    assert.deepEqual(done, {
      version: 1,
      id: "chat-1",
      task: task.id,
      status: "done",
      summary: "Done: Guard the loader against an empty config file. Pull request #12: https://github.com/Codertocat/Hello-World/pull/12",
      pullRequest: { url: PR.pullRequestUrl, number: 12 },
      plan: null,
      error: null,
    });
    const history = await store.history(task.id);
    assert.deepEqual(
      history.filter((e) => e.face === "cli").map((e) => [e.to, e.actor]),
      [
        ["queued", "operator"],
        ["approved", "operator"],
      ],
    );
    await stop(child);
    assert.deepEqual(statuses(await outboxOf(join(dir, "outbox.jsonl"))), ["chat-1 awaiting_approval", "chat-1 done"]);
    await bot.close();
  });

  it("a failed task says what happened and what to do; a plain-text line is a prompt with a made id; a cancelled one says who cancelled it", async () => {
    const { dir, bot } = await fresh();
    const child = channel(dir, ["--base", "develop"]);
    await started(child);
    bot.say(prompt("chat-fails", "Upgrade the parser", { base: "release-2" }));
    bot.say("Add a --verbose flag to the CLI");
    const failing = await taskOf(store, "Upgrade the parser");
    const plain = await taskOf(store, "Add a --verbose flag to the CLI");
    assert.deepEqual([failing.baseBranch, plain.baseBranch], ["release-2", "develop"]);

    await move(store, failing.id, ["planning", "failed"], { failure: { phase: "planning", reason: "the model could not be reached", hint: "check the provider key and retry" } });
    const failed = await bot.waitFor("failed", (l) => l.status === "failed");
    assert.deepEqual(failed, {
      version: 1,
      id: "chat-fails",
      task: failing.id,
      status: "failed",
      summary: "Failed in planning: the model could not be reached.",
      pullRequest: null,
      plan: null,
      error: "the model could not be reached (phase: planning). Next: check the provider key and retry.",
    });

    const cancel = spawnCli(["tasks", "cancel", plain.id, "--reason", "asked twice"], env, dir);
    assert.equal(await cancel.exit, 0, cancel.stderr());
    const cancelled = await bot.waitFor("cancelled", (l) => l.status === "cancelled");
    assert.match(cancelled.id, /^line-2-[0-9a-f]{8}$/);
    assert.deepEqual(
      [cancelled.task, cancelled.error],
      [plain.id, `Cancelled by operator (cli): asked twice. Start it again with openjules tasks retry ${plain.id} if it is still wanted.`],
    );
    await stop(child);
    await bot.close();
  });

  it("malformed lines each get an invalid line with the reason, and the prompts around them are still read", async () => {
    const { dir, bot } = await fresh();
    const child = channel(dir);
    await started(child);
    for (const line of [
      '{"version":1,"prompt":"no id"}',
      "{not json",
      prompt("v2", "from the future", { version: 2 }),
      prompt("typo", "on a branch", { bsae: "main" }),
      "",
      prompt("elsewhere", "somewhere else", { repo: "someone/elsewhere" }),
      prompt("after-them", "Rename the helper"),
    ])
      bot.say(line);
    await bot.waitFor("the last invalid line", (l) => l.id === "elsewhere");
    const task = await taskOf(store, "Rename the helper");
    const lines = bot.lines();
    assert.deepEqual(
      lines.map((l) => [l.id, l.status, l.task, l.error]),
      [
        ["line-1", "invalid", null, "Line 1 is not a version 1 prompt: id is required: a string."],
        [
          "line-2",
          "invalid",
          null,
          "Line 2 is not valid JSON (Expected property name or '}' in JSON at position 1 (line 1 column 2)); write one JSON object per line, or plain text.",
        ],
        ["v2", "invalid", null, "Line 3 is not a version 1 prompt: version 2 is not supported; this reads version 1."],
        ["typo", "invalid", null, 'Line 4 is not a version 1 prompt: unknown field "bsae".'],
        [
          "elsewhere",
          "failed",
          null,
          "Repository not found: OpenJules is not installed on someone/elsewhere (or it does not exist); an admin of the repository can install the GitHub App on it.",
        ],
      ],
    );
    assert.equal(lines[0]!.summary, "Line 1 of the inbox was not read as a prompt; nothing was started.");
    assert.equal(task.state, "queued");
    await stop(child);
    await bot.close();
  });

  it("stopped (Ctrl-C) and killed in the middle, then started again: no prompt lost, none started twice, no line written twice", async () => {
    const { dir, bot } = await fresh();
    let child = channel(dir);
    await started(child);
    bot.say(prompt("r-1", "First of three"));
    const first = await taskOf(store, "First of three");
    await stop(child);
    assert.match(child.stderr(), /Stopped; the inbox was read to line 1\. 1 task\(s\) still running are followed again at the next start\./);

    // While it is stopped: the first task plans, a second prompt arrives, a third is half written.
    await move(store, first.id, ["planning", "awaiting_approval"]);
    bot.say(prompt("r-2", "Second of three"));
    await until("the second prompt is in the inbox", () => readFileSync(join(dir, "inbox.jsonl"), "utf8").endsWith('Second of three"}\n'));
    child = channel(dir);
    await started(child);
    assert.match(child.stderr(), /Following 1 task\(s\) started before\./);
    await bot.waitFor("the first plan", (l) => l.id === "r-1" && l.status === "awaiting_approval");
    const second = await taskOf(store, "Second of three");

    // Killed outright (no chance to save anything), with the second task's plan just arrived.
    await move(store, second.id, ["planning", "awaiting_approval"]);
    await bot.waitFor("the second plan", (l) => l.id === "r-2" && l.status === "awaiting_approval");
    child.kill("SIGKILL");
    await child.exit;
    bot.say(prompt("r-3", "Third of three"));
    await move(store, first.id, ["approved", "working", "done"], PR);

    child = channel(dir);
    await started(child);
    await bot.waitFor("the first done", (l) => l.id === "r-1" && l.status === "done");
    const third = await taskOf(store, "Third of three");
    await move(store, second.id, ["cancelled"]);
    await move(store, third.id, ["planning", "failed"], { failure: { phase: "planning", reason: "no plan", hint: "say more" } });
    await bot.waitFor("the third failed", (l) => l.id === "r-3" && l.status === "failed");
    await bot.waitFor("the second cancelled", (l) => l.id === "r-2" && l.status === "cancelled");
    await stop(child);

    for (const text of ["First of three", "Second of three", "Third of three"]) await taskOf(store, text);
    assert.deepEqual(statuses(await outboxOf(join(dir, "outbox.jsonl"))).sort(), ["r-1 awaiting_approval", "r-1 done", "r-2 awaiting_approval", "r-2 cancelled", "r-3 failed"]);
    const state = JSON.parse(await readFile(join(dir, "outbox.jsonl.state.json"), "utf8"));
    assert.deepEqual([state.version, state.lines, state.prompts], [1, 3, {}]);
    await bot.close();
  });

  it("refuses a second channel on the same outbox", async () => {
    const { dir, bot } = await fresh();
    const child = channel(dir);
    await started(child);
    const second = channel(dir);
    assert.equal(await second.exit, 1);
    assert.match(second.stderr(), /^Another openjules channel is writing to .*outbox\.jsonl \(it holds .*outbox\.jsonl\.lock\); stop it first/);
    await stop(child);
    await bot.close();
  });
});

describe("openjules channel --server (spawned, against a live /api/v1)", () => {
  let api: ApiFixture;
  let dir: string;
  beforeAll(async () => {
    api = await apiFixture({ heartbeatMs: 200 });
    dir = await mkdtemp(join(tmpdir(), "jules-channel-remote-"));
  });
  afterAll(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("starts the task on the server with the token (face api), and writes the plan, then the pull request", async () => {
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    mockRepoInstallation(gh, INSTALLATION_ID);
    mockRepository(gh, { defaultBranch: "trunk" });
    gh.config(null);
    const bot = chatStandin(join(dir, "inbox.jsonl"), join(dir, "outbox.jsonl"));
    const child = spawnCli(
      ["channel", "--inbox", join(dir, "inbox.jsonl"), "--outbox", join(dir, "outbox.jsonl"), "--repo", REPO, "--server", api.origin],
      { JULES_API_TOKEN: OPERATOR },
      dir,
    );
    try {
      await until("the channel watches its inbox", () => child.stderr().includes("Watching "));
      bot.say(prompt("remote-1", "Document the API"));
      const task = await taskOf(api.h.deps.store, "Document the API");
      assert.deepEqual([task.face, task.requestedBy], ["api", "operator"]);
      await move(api.h.deps.store, task.id, ["planning", "awaiting_approval"]);
      const waiting = await bot.waitFor("awaiting approval", (l) => l.status === "awaiting_approval");
      assert.deepEqual([waiting.id, waiting.task, waiting.plan?.version], ["remote-1", task.id, 1]);
      await move(api.h.deps.store, task.id, ["approved", "working", "done"], PR);
      const done = await bot.waitFor("done", (l) => l.status === "done");
      assert.deepEqual(done.pullRequest, { url: PR.pullRequestUrl, number: 12 });
      child.kill("SIGINT");
      assert.equal(await child.exit, 130, child.stderr());
      gh.assertClean();
    } finally {
      child.kill("SIGKILL");
      await bot.close();
      GitHubMock.reset();
    }
  });
});
