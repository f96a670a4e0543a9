import { afterAll, beforeAll, beforeEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { access, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type ExternalAgentDefinition, parseAgentDefinitions } from "../../../src/config/agent-definitions.ts";
import { type RepoConfig, RepoConfigSchema } from "../../../src/config/repo-config.ts";
import { chooseAgent } from "../../../src/agent/external/choose.ts";
import { withExternalAgents } from "../../../src/agent/external/from-settings.ts";
import { loadSettings } from "../../../src/settings.ts";
import { testPrivateKey } from "../../helpers/keys.ts";
import { createExternalAgent } from "../../../src/agent/external/external-agent.ts";
import { AgentError, type Agent, type ExecuteOutcome, type ExecuteRequest, type PlanRequest, type Progress } from "../../../src/agent/port.ts";
import { transcriptPath } from "../../../src/agent/transcript.ts";
import type { LogEventData, Usage } from "../../../src/domain/model.ts";
import { createSandboxRunner } from "../../../src/sandbox/index.ts";
import { WorktreeChanges } from "../../../src/workspace/changes.ts";
import { makeTask } from "../../render/fixtures.ts";

/**
 * The external agent backend with the stand-in agent program
 * (test/helpers/standin-agent.sh) in the REAL bubblewrap sandbox, on a real
 * git working copy: the file channel both ways, planning on a read-only
 * working copy, execution with setup and tests around it, the deadline, an
 * agent that writes outside its working copy, malformed outboxes, the key
 * given to the agent alone, its network limited to its hosts, and an agent
 * reporting on stdout in Claude Code's format.
 */
const run = promisify(execFile);
const HELPERS = resolve(dirname(fileURLToPath(import.meta.url)), "../../helpers");
const STANDIN = join(HELPERS, "standin-agent.sh");
const KEY = "standin-agent-key-7f3a9c2e5b1d4f60";
const TEST_SH =
  'value=$(cat src/value.txt); env | sort > /tmp/env.txt; echo "test sees: $(env | cut -d= -f1 | tr "\\n" " ")"; [ "$value" = 42 ] || { echo "expected 42, got $value"; exit 1; }\n';

let dataDir: string;
let repo: string;
let home: string;
const runner = createSandboxRunner({ mode: "bubblewrap", extraReadOnly: [HELPERS], limits: { memoryBytes: 2 * 1024 ** 3, processes: 256 } });
const caps = { maxTurns: 20, maxTokens: 1_000_000, maxCostUsd: 5, maxMinutes: 10 };
const settings = {
  provider: "none" as const,
  model: undefined,
  openai: { apiKey: undefined, baseUrl: undefined },
  anthropic: { apiKey: undefined, baseUrl: undefined },
  allowedModels: [],
  caps,
  timeoutMs: 30_000,
  prices: undefined,
};
const builtin: Agent = {
  plan: () => Promise.reject(new Error("the built-in agent must not be asked")),
  execute: () => Promise.reject(new Error("the built-in agent must not be asked")),
};

function definition(extra: Record<string, unknown> = {}, env: Record<string, string> = {}): ExternalAgentDefinition {
  const text = JSON.stringify([
    {
      name: "standin",
      command: ["/bin/sh", STANDIN, "{inbox}"],
      env: { STANDIN_AGENT_KEY: { from: "HOST_STANDIN_KEY", secret: true }, ...((extra.env as object) ?? {}) },
      timeout_seconds: 60,
      ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "env")),
    },
  ]);
  const parsed = parseAgentDefinitions(text, { HOST_STANDIN_KEY: KEY, ...env });
  assert.deepEqual(parsed.problems, []);
  return parsed.agents[0]!;
}

function agentFor(def: ExternalAgentDefinition): Agent {
  return createExternalAgent(def, { runner, dataDir, settings, secrets: [], prices: {}, builtin, pollMs: 50, graceMs: 500, commandTimeoutMs: 60_000 });
}

const config = (over: Record<string, unknown> = {}): RepoConfig => RepoConfigSchema.parse({ agent: "standin", test: "sh test.sh", ...over });

interface Seen {
  progress: Progress;
  activity: string[];
  usage: Usage[];
  events: LogEventData[];
}

function seen(): Seen {
  const s: Seen = { activity: [], usage: [], events: [], progress: { activity: () => {}, usage: () => {} } };
  s.progress = { activity: (line) => s.activity.push(line), usage: (u) => s.usage.push(u), phase: () => {} };
  return s;
}

const task = makeTask({ id: "task-ext-1", state: "planning", instruction: "make the value 42", baseBranch: "main" });
const thread = { title: "The value is wrong", body: "It should be 42.<!-- hidden -->", comments: [{ author: "alice", body: "Yes, 42." }] };

function planRequest(s: Seen, cfg = config()): PlanRequest {
  return {
    task,
    thread,
    config: cfg,
    workdir: repo,
    previousPlan: null,
    feedback: null,
    progress: s.progress,
    events: { emit: (e) => s.events.push(e) },
    signal: new AbortController().signal,
  };
}

function executeRequest(s: Seen, cfg = config()): ExecuteRequest {
  return {
    task: { ...task, state: "working" },
    plan: { summary: "Set the value to 42.", steps: [{ title: "Write 42", files: ["src/value.txt"] }], risks: [], verification: "sh test.sh" },
    thread,
    config: cfg,
    workdir: repo,
    home,
    changes: new WorktreeChanges(repo),
    feedback: null,
    progress: s.progress,
    events: { emit: (e) => s.events.push(e) },
    signal: new AbortController().signal,
  };
}

const transcript = async () => readFile(transcriptPath(dataDir, task.id), "utf8");
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function freshRepo(): Promise<void> {
  await rm(repo, { recursive: true, force: true });
  await mkdir(join(repo, "src"), { recursive: true });
  await writeFile(join(repo, "src/value.txt"), "41\n");
  await writeFile(join(repo, "test.sh"), TEST_SH);
  await writeFile(join(repo, "README.md"), "# demo\n");
  const git = (...args: string[]) => run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo });
  await git("init", "-q", "-b", "main");
  await git("add", "-A");
  await git("commit", "-q", "-m", "initial");
  await rm(home, { recursive: true, force: true });
  await mkdir(home, { recursive: true });
  await rm(transcriptPath(dataDir, task.id), { force: true });
}

describe("external agent backend: the stand-in agent in the real sandbox", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "jules-external-"));
    await chmod(dataDir, 0o711);
    repo = join(dataDir, "work", "repo");
    home = join(dataDir, "home");
  });
  beforeEach(freshRepo);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("plans on a read-only working copy through the file channel, and the transcript keeps the channel files", async () => {
    const s = seen();
    const outcome = await agentFor(definition()).plan(planRequest(s));
    assert.equal(outcome.kind, "plan");
    assert.ok(outcome.kind === "plan");
    assert.equal(outcome.plan.summary, "Set the value to 42 (the working copy was writable while planning: no).");
    assert.deepEqual(outcome.plan.steps, [{ title: "Write 42 into src/value.txt", files: ["src/value.txt"] }]);
    assert.equal(await exists(join(repo, "planned.txt")), false, "the planning phase cannot write");
    assert.deepEqual({ ...outcome.usage, wallMs: 0 }, { inputTokens: 1200, outputTokens: 300, calls: 0, wallMs: 0, costUsd: 0.0125 });
    assert.ok(s.activity.includes("standin is planning"));
    const lines = (await transcript())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const files = lines.filter((l) => l.type === "channel").map((l) => l.file);
    assert.deepEqual(files, ["inbox.json", "prompt.md", "outbox.json"]);
    const inbox = JSON.parse(String(lines.find((l) => l.file === "inbox.json")?.content)) as Record<string, unknown>;
    assert.equal(inbox.version, 1);
    assert.equal(inbox.phase, "plan");
    assert.equal(inbox.writable, false);
    assert.deepEqual(inbox.thread, { untrusted: true, title: thread.title, body: thread.body, comments: thread.comments });
    assert.equal((inbox.output_schema as { type?: string }).type, "object");
    const agentRun = lines.find((l) => l.type === "agent");
    assert.match(String(agentRun?.output), /writing into the working copy while planning: no/);
    assert.deepEqual(
      s.events.filter((e) => e.type === "command").map((e) => e.type === "command" && e.source),
      ["agent", "agent"],
    );
  });

  it("executes: setup, the agent's edit kept as the change, then the tests, and its secret is in no setup or test command", async () => {
    const s = seen();
    const def = definition({ env: { STANDIN_MODE: "env" } });
    const outcome = (await agentFor(def).execute(executeRequest(s, config({ setup: "env | sort; echo setup done" })))) as ExecuteOutcome;
    assert.equal(outcome.summary, "src/value.txt now holds 42.");
    assert.equal(outcome.tests.passed, true, outcome.tests.summary);
    assert.equal(await readFile(join(repo, "src/value.txt"), "utf8"), "42\n");
    const { stdout: staged } = await run("git", ["-c", "safe.directory=*", "diff", "--cached", "--name-only"], { cwd: repo });
    assert.equal(staged.trim(), "src/value.txt", "only the agent's change is staged");
    const lines = (await transcript())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const commands = lines.filter((l) => l.type === "command");
    assert.deepEqual(
      commands.map((c) => c.purpose),
      ["setup", "test"],
    );
    for (const c of commands) assert.doesNotMatch(String(c.output), /STANDIN_AGENT_KEY/, `${String(c.purpose)} must not see the agent's key`);
    const agentRun = lines.find((l) => l.type === "agent");
    assert.match(String(agentRun?.output), /STANDIN_AGENT_KEY=\[REDACTED:/, "the agent has its key, redacted in the transcript");
    assert.doesNotMatch(await transcript(), new RegExp(KEY));
    assert.doesNotMatch(JSON.stringify(s.events), new RegExp(KEY));
    const sources = s.events.filter((e) => e.type === "command" && e.exitCode === null).map((e) => e.type === "command" && e.source);
    assert.deepEqual(sources, ["setup", "agent", "tests"]);
  });

  it("runs the agent again with the failing test output, up to its fix rounds, then reports the tests as failing", async () => {
    const s = seen();
    const outcome = (await agentFor(definition({ fix_rounds: 1 })).execute(executeRequest(s, config({ test: 'echo "expected 43"; exit 1' })))) as ExecuteOutcome;
    assert.equal(outcome.tests.passed, false);
    const lines = (await transcript())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const inboxes = lines.filter((l) => l.file === "inbox.json").map((l) => JSON.parse(String(l.content)) as { tests: { output: string } | null });
    assert.equal(inboxes.length, 2, "one run, then one fix round");
    assert.equal(inboxes[0]?.tests, null);
    assert.match(inboxes[1]?.tests?.output ?? "", /expected 43/);
    assert.equal(lines.filter((l) => l.type === "command" && l.purpose === "test").length, 2);
  });

  it("stops a hung agent at its deadline with a clear failure", async () => {
    const started = Date.now();
    const def = definition({ env: { STANDIN_MODE: "hang" }, timeout_seconds: 2 });
    await assert.rejects(agentFor(def).plan(planRequest(seen())), (error: unknown) => {
      assert.ok(error instanceof AgentError);
      assert.equal(error.message, "The agent standin did not finish within 2 seconds, its deadline, and was stopped.");
      assert.match(error.hint, /max_minutes/);
      return true;
    });
    assert.ok(Date.now() - started < 20_000);
  });

  it("takes the outbox of an agent that does not exit, after a short grace", async () => {
    const started = Date.now();
    const outcome = (await agentFor(definition({ env: { STANDIN_MODE: "linger" } })).execute(executeRequest(seen()))) as ExecuteOutcome;
    assert.equal(outcome.summary, "src/value.txt now holds 42.");
    assert.ok(Date.now() - started < 30_000);
  });

  it("contains an agent that writes outside its working copy: nothing outside changes", async () => {
    const def = definition({ env: { STANDIN_MODE: "escape", STANDIN_HOST_PATH: dataDir } });
    const outcome = (await agentFor(def).execute(executeRequest(seen()))) as ExecuteOutcome;
    assert.equal(outcome.tests.passed, true);
    for (const path of [
      "/tmp/standin-escaped",
      join(dataDir, "standin-escaped"),
      join(dataDir, "work", "standin-escaped"),
      "/etc/standin-escaped",
      "/usr/standin-escaped",
      join(home, "standin-escaped"),
    ]) {
      assert.equal(await exists(path), false, path);
    }
    const output = String(
      (await transcript())
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.type === "agent")?.output,
    );
    for (const refused of ["/workspace/../standin-escaped", "/etc/standin-escaped", "/run/openjules/standin-escaped", "/usr/standin-escaped", `${dataDir}/standin-escaped`])
      assert.match(output, new RegExp(`could not write ${refused.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`), refused);
    const { stdout: staged } = await run("git", ["-c", "safe.directory=*", "diff", "--cached", "--name-only"], { cwd: repo });
    assert.equal(staged.trim(), "src/value.txt");
  });

  for (const [mode, message] of [
    ["malformed", /wrote an outbox that does not follow the file channel \(version 1\): status: Invalid option/],
    ["notjson", /wrote an outbox that does not follow the file channel \(version 1\): it is not JSON/],
  ] as const) {
    it(`fails clearly on a ${mode} outbox`, async () => {
      await assert.rejects(agentFor(definition({ env: { STANDIN_MODE: mode } })).plan(planRequest(seen())), (error: unknown) => {
        assert.ok(error instanceof AgentError);
        assert.match(error.message, message);
        assert.match(error.hint, /JULES_AGENTS/);
        return true;
      });
    });
  }

  it("gives the agent network to its hosts only, through the egress proxy", async () => {
    const servers: Server[] = [];
    const listen = async (text: string) => {
      const server = createServer((_req, res) => res.end(text));
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      return (server.address() as AddressInfo).port;
    };
    try {
      const allowed = await listen("hello from the model API");
      const other = await listen("this must not be reached");
      const urls = { STANDIN_ALLOWED_URL: `http://127.0.0.1:${allowed}/v1`, STANDIN_OTHER_URL: `http://127.0.0.1:${other}/` };
      const withNet = definition({ env: { STANDIN_MODE: "net", ...urls }, network: [`127.0.0.1:${allowed}`] });
      const outcome = (await agentFor(withNet).execute(executeRequest(seen()))) as ExecuteOutcome;
      assert.match(outcome.summary, /^allowed: hello from the model API \| other: OpenJules refused the agent's connection to 127\.0\.0\.1:\d+/);
      await freshRepo();
      const without = (await agentFor(definition({ env: { STANDIN_MODE: "net", ...urls } })).execute(executeRequest(seen()))) as ExecuteOutcome;
      assert.doesNotMatch(without.summary, /hello from the model API|must not be reached/, "no network at all without hosts");
    } finally {
      for (const server of servers) server.close();
    }
  });

  it("reads an agent that reports on stdout as Claude Code does: result, tokens and cost", async () => {
    const def = definition({ env: { STANDIN_MODE: "claude" }, reports: "claude-json" });
    const outcome = (await agentFor(def).execute(executeRequest(seen()))) as ExecuteOutcome;
    assert.equal(outcome.summary, "src/value.txt now holds 42.");
    assert.deepEqual({ ...outcome.usage, wallMs: 0 }, { inputTokens: 1500, outputTokens: 200, calls: 4, wallMs: 0, costUsd: 0.042 });
  });

  it("stops before a run when the task already spent its cost budget", async () => {
    const spent = { ...task, usage: { inputTokens: 10, outputTokens: 10, calls: 1, wallMs: 1, costUsd: 5 } };
    await assert.rejects(agentFor(definition()).plan({ ...planRequest(seen()), task: spent }), /Planning stopped: the task reached its budget of \$5\.00/);
  });

  it("refuses to run an external agent without the bubblewrap sandbox", async () => {
    const unsafe = createSandboxRunner({ mode: "unsafe", logger: { warn: () => {} } });
    const agent = createExternalAgent(definition(), { runner: unsafe, dataDir, settings, secrets: [], prices: {}, builtin, pollMs: 50, graceMs: 500 });
    await assert.rejects(agent.plan(planRequest(seen())), /an external agent runs only in the bubblewrap sandbox/);
  });

  it("fails a task whose jules.yml names an agent the operator does not offer, naming those it does", async () => {
    const choice = chooseAgent(builtin, new Map([["standin", agentFor(definition())]]));
    await assert.rejects(choice.plan(planRequest(seen(), config({ agent: "claude-code" }))), (error: unknown) => {
      assert.ok(error instanceof AgentError);
      assert.equal(error.message, ".github/jules.yml asks for the agent `claude-code`, which this OpenJules installation does not offer (it offers `builtin`, `standin`).");
      assert.match(error.hint, /JULES_AGENTS/);
      return true;
    });
  });

  it("offers only the built-in agent when the operator defines none", async () => {
    const plain = loadSettings({ APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "s3cret", JULES_DATA_DIR: dataDir });
    const agent = withExternalAgents(builtin, plain, { runner });
    await assert.rejects(
      agent.plan(planRequest(seen(), config({ agent: "aider" }))),
      /asks for the agent `aider`, which this OpenJules installation does not offer \(it offers `builtin`\)/,
    );
  });
});
