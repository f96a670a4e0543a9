import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import type { LogEventData, Task } from "../../src/domain/model.ts";
import { apiFixture, type ApiFixture, OPERATOR } from "../api/fixture.ts";
import { configuredBackends } from "../../src/ops/cli/backends.ts";
import { type CliDeps, runCli } from "../../src/ops/cli/program.ts";
import { mockAnyTokens, mockCompareDiff, mockRepoInstallation, mockRepository } from "../helpers/github-app-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { INSTALLATION_ID } from "../helpers/payloads.ts";
import { taskIn } from "../tasks/control/harness.ts";
import { freePort } from "../helpers/web-server.ts";
import { spawnCli as openjules, until } from "../helpers/cli-child.ts";

/** A TCP proxy in front of the API whose open connections the test can cut (a dropped stream, as a proxy or a network does). */
async function cuttableProxy(target: string): Promise<{ origin: string; connections(): number; cut(): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((client) => {
    count += 1;
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on("close", () => open.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${address.port}`,
    connections: () => count,
    cut: () => {
      for (const s of open) s.destroy();
    },
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe("openjules tasks monitor / events against a live /api/v1 server (spawned CLI)", () => {
  let api: ApiFixture;
  let cwd: string;
  const env = () => ({ JULES_API_TOKEN: OPERATOR, JULES_SERVER_URL: api.origin });
  // The harness's store notifies the event feed of every write, as the server's does.
  const log = (task: Task, events: LogEventData[]) => api.h.deps.store.appendEvents(task.id, events);
  const move = async (task: Task, from: Task["state"], to: Task["state"], patch: Partial<Task> = {}) => {
    const moved = await api.h.deps.store.transition(task.id, { from, to, actor: "openjules", reason: `to ${to}`, patch });
    assert.ok(moved, `${from} -> ${to}`);
    return moved;
  };
  beforeAll(async () => {
    api = await apiFixture({ heartbeatMs: 200 });
    cwd = await mkdtemp(join(tmpdir(), "jules-cli-remote-"));
  });
  afterEach(() => GitHubMock.reset());
  afterAll(async () => {
    await api.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it("monitor prints the history, then each event as it happens, and exits 0 when the task is done", async () => {
    const task = await taskIn(api.h, "working");
    const child = openjules(["tasks", "monitor", task.id], env(), cwd);
    await until("the history is printed", () => /state approved -> working {2}by openjules via system/.test(child.stdout()));
    await log(task, [
      { type: "activity", line: "read 3 files" },
      { type: "command", source: "tests", command: "npm test", exitCode: 0, durationMs: 2100 },
      { type: "output", source: "tests", chunk: "ok 1 config\nok 2 loader\n" },
    ]);
    await until("live events are printed", () => child.stdout().includes("output [tests] │ ok 2 loader"));
    await move(task, "working", "done", { pullRequestNumber: 9, pullRequestUrl: "https://github.com/Codertocat/Hello-World/pull/9" });
    assert.equal(await child.exit, 0, child.stderr());
    const out = child.stdout();
    assert.match(out, new RegExp(`^Monitoring task ${task.id} \\(Codertocat/Hello-World\\), working; stops when it is done, failed, cancelled or paused\\.\\n`));
    assert.match(out, /\d\d:\d\d:\d\d state \(new\) -> queued {2}by Codertocat via api: test\n/);
    assert.match(out, /activity read 3 files\n.*command \[tests\] \$ npm test -> exit 0 \(2s\)\n.*output \[tests\] │ ok 1 config\n/);
    assert.match(
      out,
      new RegExp(`state working -> done  by openjules via system: to done\\nTask ${task.id} done: https://github\\.com/Codertocat/Hello-World/pull/9 \\(after \\d+s\\)\\.\\n$`),
    );
  });

  it("exit codes follow the state the task stops in: 3 failed, 4 cancelled, 5 paused; a finished task is printed at once", async () => {
    const failing = await taskIn(api.h, "working");
    const child = openjules(["tasks", "monitor", failing.id], env(), cwd);
    await until("connected", () => child.stdout().includes("approved -> working"));
    await move(failing, "working", "failed", { failure: { phase: "tests", reason: "2 tests failed", hint: "look at the output" } });
    assert.equal(await child.exit, 3, child.stderr());
    assert.match(child.stdout(), /failed while working on the changes: 2 tests failed \(after \d+s\)\. Next: look at the output\n$/);

    const pausing = await taskIn(api.h, "working");
    const paused = openjules(["tasks", "monitor", pausing.id], env(), cwd);
    await until("connected", () => paused.stdout().includes("approved -> working"));
    await log(pausing, [{ type: "paused", cause: "cost", reason: "reached its budget of $2.00", checkpointSha: "abcdef1234567890" }]);
    await move(pausing, "working", "paused");
    assert.equal(await paused.exit, 5, paused.stderr());
    assert.match(paused.stdout(), /paused \(cost\): reached its budget of \$2\.00; work kept in abcdef123456\n/);

    const cancelled = await taskIn(api.h, "cancelled");
    const r = openjules(["tasks", "monitor", cancelled.id], env(), cwd);
    assert.equal(await r.exit, 4, r.stderr());
    assert.match(r.stdout(), /state queued -> cancelled .*\nTask .* cancelled \(after \d+s\)\.\n$/);
  });

  it("reconnects with Last-Event-ID when the stream drops: nothing is missed or printed twice", async () => {
    const proxy = await cuttableProxy(api.origin);
    try {
      const task = await taskIn(api.h, "working");
      const child = openjules(["tasks", "events", task.id, "--follow", "--json"], { ...env(), JULES_SERVER_URL: proxy.origin }, cwd);
      await until("connected", () => child.stdout().includes('"to":"working"'));
      await log(task, [{ type: "activity", line: "before the drop" }]);
      await until("first live event", () => child.stdout().includes("before the drop"));
      const before = proxy.connections();
      proxy.cut();
      await log(task, [{ type: "activity", line: "while it was down" }]);
      await until("reconnected", () => child.stdout().includes("while it was down"));
      assert.ok(proxy.connections() > before);
      await move(task, "working", "done");
      assert.equal(await child.exit, 0, child.stderr());
      assert.match(child.stderr(), /The event stream dropped \(.*\); reconnecting \(attempt 1\)\./);
      const events = child
        .stdout()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { id: number; data: LogEventData });
      const ids = events.map((e) => e.id);
      assert.deepEqual(
        ids,
        [...new Set(ids)].sort((a, b) => a - b),
        "each event once, in order",
      );
      assert.deepEqual(
        events.map((e) => (e.data.type === "state" ? e.data.to : e.data.type)),
        ["queued", "planning", "awaiting_approval", "approved", "working", "activity", "activity", "done"],
      );
    } finally {
      await proxy.close();
    }
  });

  it("a refusal prints the server's problem detail and exits 1: unknown task, wrong token, unreachable server", async () => {
    const missing = openjules(["tasks", "monitor", "no-such-task"], env(), cwd);
    assert.equal(await missing.exit, 1);
    assert.match(missing.stderr(), /^Task not found: There is no task no-such-task that you can see; list the tasks you can see first\.\n$/);
    const bad = openjules(["tasks", "approve", "x", "--json"], { ...env(), JULES_API_TOKEN: "wrong-token-0123456789" }, cwd);
    assert.equal(await bad.exit, 1);
    const problem = JSON.parse(bad.stderr());
    assert.equal(problem.code, "unauthorized");
    assert.match(problem.detail, /JULES_API_TOKEN, or the token of ~\/\.config\/openjules\/config\.json/);
    const closed = await freePort();
    const down = openjules(["tasks", "list", "--server", `http://127.0.0.1:${closed}`], env(), cwd);
    assert.equal(await down.exit, 1);
    assert.match(down.stderr(), new RegExp(`^Server unreachable: Could not reach http://127\\.0\\.0\\.1:${closed} \\(ECONNREFUSED\\); check the URL given with --server`));
  });

  it("create makes a task through the API (face api), once per idempotency key; a bad option is refused before any request", async () => {
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    mockRepoInstallation(gh, INSTALLATION_ID, 2);
    mockRepository(gh, {}, 2);
    gh.config(null, 2);
    const args = ["tasks", "create", "Codertocat/Hello-World", "fix", "the", "crash", "--idempotency-key", "key-1", "--json"];
    const first = openjules(args, env(), cwd);
    assert.equal(await first.exit, 0, first.stderr());
    const created = JSON.parse(first.stdout());
    assert.deepEqual([created.created, created.task.instruction, created.task.face, created.task.issueNumber], [true, "fix the crash", "api", null]);
    const again = openjules(args.slice(0, -1), env(), cwd);
    assert.equal(await again.exit, 0, again.stderr());
    assert.equal(
      again.stdout(),
      `Task ${created.task.id} (Codertocat/Hello-World) already existed for this idempotency key; it is now queued.\nFollow it with: openjules tasks monitor ${created.task.id}\n`,
    );
    const bad = openjules(["tasks", "create", "Codertocat/Hello-World", "x", "--issue", "twelve"], env(), cwd);
    assert.equal(await bad.exit, 1);
    assert.equal(bad.stderr(), '--issue must be an issue number, got "twelve"\n');
    assert.deepEqual(api.errors, []);
    gh.assertClean();
  });

  it("list, show, message, pause, resume and diff through the API, each printed as text or JSON", async () => {
    // Its own installation, so its token is asked for in this test whatever the others did.
    const task = await taskIn(api.h, "working", { installationId: 9 }, { branch: "jules/fix-crash" });
    const run = async (args: string[]) => {
      const child = openjules(args, env(), cwd);
      const code = await child.exit;
      assert.equal(code, 0, child.stderr());
      return child.stdout();
    };
    const page = JSON.parse(await run(["tasks", "list", "--state", "working", "--json"]));
    assert.ok(page.tasks.some((t: { id: string; face: string }) => t.id === task.id && t.face === "api"));
    assert.match(await run(["tasks", "list", "--state", "working"]), new RegExp(`^ID +STATE +WHERE[^]*\\n${task.id}  working +Codertocat/Hello-World  `));
    assert.match(
      await run(["tasks", "show", task.id]),
      new RegExp(`^Task ${task.id} \\(issue\\)\\n  where +Codertocat/Hello-World\\n[^]*History\\n .* \\(new\\) -> queued  by Codertocat`),
    );
    assert.equal(
      await run(["tasks", "message", task.id, "use", "the", "v2", "API"]),
      `Message sent to task ${task.id}: it reaches the agent at its next turn. The task is working.\n`,
    );
    const messages = await api.h.deps.store.takeMessages(task.id);
    assert.deepEqual(
      messages.map((m) => [m.author, m.face, m.body]),
      [["operator", "api", "use the v2 API"]],
    );
    assert.match(
      await run(["tasks", "pause", task.id, "--reason", "lunch"]),
      new RegExp(`^Task ${task.id} \\(Codertocat/Hello-World\\) will pause at its next turn; it is now \\w+\\.\\n$`),
    );
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    mockCompareDiff(gh, "main", "jules/fix-crash", "diff --git a/src/config.ts b/src/config.ts\n+guard\n");
    assert.equal(await run(["tasks", "diff", task.id]), "diff --git a/src/config.ts b/src/config.ts\n+guard\n");
    const paused = await taskIn(api.h, "paused", { installationId: 9 });
    gh.config(null);
    gh.config(null);
    const beyond = openjules(["tasks", "resume", paused.id, "--extra", "5 turns"], env(), cwd);
    assert.equal(await beyond.exit, 1);
    assert.match(beyond.stderr(), /^Beyond the operator's cap: With this, the task's budget would be 45 turns, more than the operator's cap of 40 turns \(JULES_MAX_TURNS\)/);
    const resumed = JSON.parse(await run(["tasks", "resume", paused.id, "--json"]));
    assert.equal(resumed.state, "approved");
    gh.assertClean();
  });

  it("on a terminal, monitor redraws one block in place and restores the cursor (in-process, the screen captured)", async () => {
    const task = await taskIn(api.h, "working");
    const writes: string[] = [];
    const deps: CliDeps = {
      env: { ...env(), HOME: cwd },
      backends: configuredBackends,
      out: (t) => writes.push(`OUT ${t}`),
      err: (t) => writes.push(`ERR ${t}`),
      screen: { columns: 100, write: (t) => void writes.push(t) },
    };
    const running = runCli(["tasks", "monitor", task.id, "--lines", "2"], deps);
    await until("first frame", () => writes.some((w) => w.includes("▶ Working")));
    await log(task, [{ type: "output", source: "agent", chunk: "one\ntwo\nthree\n" }]);
    await until("output frame", () => writes.some((w) => w.includes("│ three")));
    await move(task, "working", "done");
    assert.equal(await running, 0);
    assert.ok(writes[0]!.startsWith("\u001b[?25l"), "cursor hidden first");
    assert.equal(writes.at(-1), "\u001b[?25h");
    const frames = writes.slice(1, -1);
    for (const [i, frame] of frames.entries()) {
      const previous = (i === 0 ? writes[0]! : frames[i - 1]!).replace(/^\u001b\[(\?25l|\d+F\u001b\[0J)/, "");
      assert.ok(frame.startsWith(`\u001b[${previous.split("\n").length - 1}F\u001b[0J`), "each frame replaces the one before");
    }
    const last = frames.at(-1)!.replace(/^\u001b\[\d+F\u001b\[0J/, "");
    assert.match(last, /^Task .* · Codertocat\/Hello-World · fix the crash\nstate {5}done {3}· {3}took \d+s/);
    assert.match(last, /│ two\n {2}│ three\n$/);
    for (const line of last.split("\n")) assert.ok(line.length <= 100, line);
    assert.ok(!writes.some((w) => w.startsWith("OUT ") || w.startsWith("ERR ")), "nothing else printed");
    assert.ok(!frames.some((f) => f.includes("state     queued")), "the history arrives in one burst and is drawn once, not state by state");
  });

  it("reads the server and token from ~/.config/openjules/config.json, and refuses one readable by others", async () => {
    const home = await mkdtemp(join(tmpdir(), "jules-cli-home-"));
    try {
      await mkdir(join(home, ".config", "openjules"), { recursive: true });
      const file = join(home, ".config", "openjules", "config.json");
      await writeFile(file, JSON.stringify({ server: api.origin, token: OPERATOR }), { mode: 0o600 });
      // Its own installation, so its token is asked for here whatever the other tests did.
      const task = await taskIn(api.h, "awaiting_approval", { installationId: 7 });
      const gh = new GitHubMock();
      mockAnyTokens(gh);
      gh.config(null);
      const approved = openjules(["tasks", "approve", task.id], { HOME: home }, cwd);
      assert.equal(await approved.exit, 0, approved.stderr());
      assert.equal(approved.stdout(), `Task ${task.id} (Codertocat/Hello-World) was approved; it is now approved.\n`);
      assert.equal((await api.h.deps.store.history(task.id)).at(-1)!.face, "api");
      gh.assertClean();
      await chmod(file, 0o644);
      const open = openjules(["tasks", "list"], { HOME: home }, cwd);
      assert.equal(await open.exit, 1);
      assert.equal(open.stderr(), `${file} holds a token and is readable by others; make it private with: chmod 600 ${file}\n`);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
