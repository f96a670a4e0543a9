import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAgentFromSettings } from "../../src/agent/from-settings.ts";
import type { LogEventData, TaskLogEvent } from "../../src/domain/model.ts";
import { createSandboxRunner } from "../../src/sandbox/index.ts";
import { cleanOutput } from "../../src/sandbox/trim-output.ts";
import { redactSecrets } from "../../src/security/redact.ts";
import { createWorkspaces } from "../../src/workspace/from-settings.ts";
import { FAKE } from "../helpers/fake-secrets.ts";
import { call, type Step } from "../helpers/fake-llm/script.ts";
import { startFakeLlm, type FakeLlm } from "../helpers/fake-llm/server.ts";
import { startGitServer, type GitServer } from "../helpers/git-server.ts";
import { GitHubMock, INSTALLATION_TOKEN } from "../helpers/github-mock.ts";
import { servedComment } from "../helpers/served-comment.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * The event log a real run writes: `/jules` → the real agent (OpenAI SDK
 * against the scripted model) plans from what it read → `/approve` → it edits
 * a real git working copy and runs a command, setup and the tests run in the
 * real sandbox → the pull request (delivery double). The log holds, in
 * order, the plan, the tool calls, every command with its exit code and its
 * output in chunks, the pull request and the usage; a secret a command
 * prints, or the model writes, is in none of it.
 */
const OPENAI_KEY = ["sk", "test", "events0123456789abcdef0123456789"].join("-");
const TEST_SH = `#!/bin/sh\nprintf '\\033[32mchecking\\033[0m\\n'\necho "token ${FAKE.githubClassic} key ${OPENAI_KEY}"\nvalue=$(cat src/value.txt)\n[ "$value" = "42" ] && echo "1 passed, 0 failed" || { echo "expected 42, got $value"; exit 1; }\n`;
const CONFIG = "setup: echo setting up && echo ready\ntest: sh test.sh\n";
const PLAN = { summary: "Set the value to 42.", steps: [{ title: "Write 42 into src/value.txt", files: ["src/value.txt"] }], risks: [], verification: "sh test.sh" };
const ENV = { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: OPENAI_KEY, JULES_WORKSPACE_SPARES: "0" };

const kinds = (events: readonly LogEventData[]) => events.map((e) => (e.type === "state" ? `state:${e.to}` : e.type));

/** The output chunks between a command's start and end events, put together. */
function outputOf(events: readonly LogEventData[], source: string, command: string): { text: string; exitCode: number | null } {
  const start = events.findIndex((e) => e.type === "command" && e.source === source && e.command === command && e.durationMs === 0);
  assert.ok(start !== -1, `${source} command ${command} started`);
  const end = events.findIndex((e, i) => i > start && e.type === "command" && e.command === command);
  const ended = events[end] as Extract<LogEventData, { type: "command" }>;
  const chunks = events.slice(start + 1, end).filter((e): e is Extract<LogEventData, { type: "output" }> => e.type === "output" && e.source === source);
  return { text: chunks.map((c) => c.chunk).join(""), exitCode: ended.exitCode };
}

describe("the task's event log, written by a real run", { timeout: 300_000 }, () => {
  let llm: FakeLlm;
  let git: GitServer;
  let app: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    llm = await startFakeLlm();
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
  });
  afterAll(async () => {
    await llm.close();
    await git.close();
  });
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(config: string | null, runner: boolean): Promise<{ gh: GitHubMock; cloneUrl: string }> {
    const cloneUrl = await git.createRepo("Codertocat", "Hello-World", [{ files: { "README.md": "# Hello\n", "src/value.txt": "41\n", "test.sh": TEST_SH }, message: "initial" }]);
    dataDir = await mkdtemp(join(tmpdir(), "jules-events-"));
    await chmod(dataDir, 0o711); // the sandbox user reaches the worktrees
    const sandbox = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 2 * 1024 ** 3, processes: 128 } });
    app = await startTestApp({
      dataDir,
      env: { ...ENV, OPENAI_BASE_URL: llm.openaiBaseUrl },
      workspaces: createWorkspaces({ dataDir }, { cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, sparesPerRepo: 0 }),
      agentFactory: (settings) => createAgentFromSettings(settings, runner ? { runner: sandbox, commandTimeoutMs: 60_000 } : {}),
    });
    const gh = new GitHubMock();
    gh.token().config(config, 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();
    return { gh, cloneUrl };
  }

  async function planAndApprove(gh: GitHubMock, cloneUrl: string, planning: Step[], executing: Step[]): Promise<{ id: string; events: TaskLogEvent[] }> {
    llm.push(...planning);
    await app.receive("issue_comment", servedComment(gh, "/jules make the value 42", cloneUrl));
    await app.settle();
    const planned = await app.store.findLatest("Codertocat", "Hello-World", 1);
    assert.equal(planned?.state, "awaiting_approval", JSON.stringify(planned?.failure));
    llm.push(...executing);
    await app.receive("issue_comment", servedComment(gh, "/approve", cloneUrl));
    await app.settle();
    assert.equal(llm.remaining, 0);
    return { id: planned!.id, events: await app.store.readEvents(planned!.id, 0, 1000) };
  }

  it("holds the plan, the tool calls, the commands with exit codes and their output, the pull request and the usage, in order, and no secret", async () => {
    const { gh, cloneUrl } = await start(CONFIG, true);
    const planning: Step[] = [call("read_file", { path: "src/value.txt" }), call("search", { pattern: "expected 42" }), call("submit_plan", PLAN)];
    const executing: Step[] = [
      call("edit_file", { path: "src/value.txt", old_string: "41", new_string: "42" }),
      call("run", { command: "sh test.sh" }),
      call("finish", { summary: "src/value.txt holds 42." }),
    ];
    const { id, events: log } = await planAndApprove(gh, cloneUrl, planning, executing);
    const done = await app.store.get(id);
    assert.equal(done?.state, "done", JSON.stringify(done?.failure));
    const events = log.map((e) => e.data);
    assert.deepEqual(
      log.map((e) => e.id),
      [...log.map((e) => e.id)].sort((a, b) => a - b),
    );

    // The plan, after the planning's tool calls and before the plan waits for approval.
    const plan = events.findIndex((e) => e.type === "plan");
    assert.deepEqual({ ...events[plan], costEstimateUsd: null }, { type: "plan", version: 1, summary: PLAN.summary, steps: 1, costEstimateUsd: null });
    const tools = events.flatMap((e, i) => (e.type === "tool" ? [{ i, line: `${e.tool}: ${e.summary}` }] : []));
    assert.deepEqual(
      tools.map((t) => t.line),
      [
        "read_file: read src/value.txt",
        "search: searched 'expected 42' (1 hit)",
        "submit_plan: submitted the plan (1 step)",
        "edit_file: edited src/value.txt (+1 −1)",
        "run: ran `sh test.sh` (exit code 0)",
        "finish: finished the work",
      ],
    );
    assert.ok(tools[2]!.i < plan && plan < kinds(events).indexOf("state:awaiting_approval"));
    assert.ok(events.some((e) => e.type === "activity" && e.line === "exploring the repository"));

    // Every command: started, its output, ended with its exit code; setup, the agent's run, then the tests.
    const commands = events.filter((e): e is Extract<LogEventData, { type: "command" }> => e.type === "command" && e.durationMs > 0);
    assert.deepEqual(
      commands.map((c) => [c.source, c.command, c.exitCode]),
      [
        ["setup", "echo setting up && echo ready", 0],
        ["agent", "sh test.sh", 0],
        ["tests", "sh test.sh", 0],
      ],
    );
    assert.equal(outputOf(events, "setup", "echo setting up && echo ready").text, "setting up\nready\n");
    const printed = `\u001b[32mchecking\u001b[0m\ntoken ${FAKE.githubClassic} key ${OPENAI_KEY}\n1 passed, 0 failed\n`;
    const cleaned = redactSecrets(cleanOutput(printed), app.deps.secrets);
    assert.equal(cleaned, "checking\ntoken [REDACTED:github-token] key [REDACTED:configured-secret]\n1 passed, 0 failed\n");
    for (const source of ["agent", "tests"]) assert.deepEqual(outputOf(events, source, "sh test.sh"), { text: cleaned, exitCode: 0 });

    // The pull request, then the usage, then done.
    const order = ["state:approved", "state:working", "tool", "state:testing", "command", "pull_request", "usage", "state:done"];
    const at = order.map((kind) => kinds(events).lastIndexOf(kind));
    assert.deepEqual(
      [...at].sort((a, b) => a - b),
      at,
      kinds(events).join(" "),
    );
    assert.deepEqual(
      events.find((e) => e.type === "pull_request"),
      { type: "pull_request", number: 7, url: "https://github.com/Codertocat/Hello-World/pull/7" },
    );
    const usage = events.findLast((e) => e.type === "usage");
    assert.deepEqual(usage, { type: "usage", usage: done?.usage });
    assert.equal(events.filter((e) => e.type === "usage").length, 2, "one at the end of each run");

    const text = JSON.stringify(events);
    for (const secret of [FAKE.githubClassic, OPENAI_KEY]) assert.ok(!text.includes(secret), "a secret in the event log");
    gh.assertClean();
  });

  it("stores a failure redacted: the model's summary quoted in it shows no secret", async () => {
    const { gh, cloneUrl } = await start(null, false);
    const summary = `Nothing to change; the key is ${OPENAI_KEY} and the token ${FAKE.githubClassic}.`;
    app.delivery.result = { kind: "no_changes" };
    const { id, events } = await planAndApprove(gh, cloneUrl, [call("submit_plan", PLAN)], [call("finish", { summary })]);
    const failed = await app.store.get(id);
    assert.equal(failed?.state, "failed");
    assert.match(
      failed!.failure!.reason,
      /^The agent finished without changing any file: Nothing to change; the key is \[REDACTED:configured-secret\] and the token \[REDACTED:github-token\]\.$/,
    );
    const text = JSON.stringify([failed, await app.store.history(id), events]);
    for (const secret of [FAKE.githubClassic, OPENAI_KEY]) assert.ok(!text.includes(secret), "a secret in the task, its history or its events");
    assert.ok(
      events.some((e) => e.data.type === "usage"),
      "the run ends with its usage",
    );
    gh.assertClean();
  });
});
