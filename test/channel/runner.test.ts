/**
 * The channel's runner in this process (src/channel/runner.ts) over the real
 * control plane (test/tasks/control/harness.ts: SQLite store, embedded queue
 * with the worker stopped, GitHub mocked with nock), through the CLI's local
 * client as `openjules channel` has it: what the spawned test cannot time
 * (a line arriving in pieces, an over-long line, an inbox replaced by a
 * shorter one, a stop between writing an outbox line and saving the state)
 * and the reports between the first plan and the end (a revised plan, a
 * pause).
 */
import assert from "node:assert/strict";
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "vitest";
import type { Task, TaskState } from "../../src/domain/model.ts";
import { runChannel } from "../../src/channel/runner.ts";
import { localClient } from "../../src/ops/cli/client.ts";
import { mockAnyTokens, mockRepoInstallation, mockRepository } from "../helpers/github-app-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import type { OutboxLine } from "../helpers/chat-standin.ts";
import { OWNER, REPO, withHarness } from "../tasks/control/harness.ts";
import { samplePlan } from "../helpers/agent-double.ts";

const prompt = (id: string, text: string) => `${JSON.stringify({ version: 1, id, prompt: text })}\n`;

describe("the channel runner over the real control plane", () => {
  const h = withHarness();
  let dir: string;
  let inbox: string;
  let outbox: string;
  let gh: GitHubMock;
  const running: { stop(): Promise<number> }[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "jules-channel-runner-"));
    inbox = join(dir, "inbox.jsonl");
    outbox = join(dir, "outbox.jsonl");
    gh = new GitHubMock();
    mockAnyTokens(gh);
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** What each create looks up on GitHub, for `times` creates. */
  const installed = (times: number) => {
    mockRepoInstallation(gh, 2, times);
    mockRepository(gh, { defaultBranch: "trunk" }, times);
    gh.config(null, times);
  };
  const start = () => {
    const controller = new AbortController();
    const logs: string[] = [];
    const client = localClient(h().plane, "this machine", async () => undefined);
    const done = runChannel(client, { inbox, outbox, repo: `${OWNER}/${REPO}`, signal: controller.signal, log: (l) => logs.push(l), pollMs: 50, retryMs: 20 });
    const handle = { logs, stop: () => (controller.abort(), done) };
    running.push(handle);
    return handle;
  };
  const stop = async (handle: { stop(): Promise<number> }) => {
    running.splice(running.indexOf(handle), 1);
    assert.equal(await handle.stop(), 130);
  };
  const outboxLines = async () =>
    (await readFile(outbox, "utf8").catch(() => ""))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as OutboxLine);
  const lineFor = async (what: string, match: (l: OutboxLine) => boolean) => {
    let found: OutboxLine | undefined;
    for (const start = Date.now(); !found; await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() - start > 10_000) throw new Error(`no outbox line ${what}: ${JSON.stringify(await outboxLines())}`);
      found = (await outboxLines()).find(match);
    }
    return found;
  };
  const tasks = () => h().deps.store.list();
  const taskOf = async (text: string) => {
    let found: Task[] = [];
    for (const start = Date.now(); found.length === 0; await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() - start > 10_000) throw new Error(`no task for ${text}`);
      found = (await tasks()).filter((t) => t.instruction === text);
    }
    assert.equal(found.length, 1);
    return found[0]!;
  };
  const move = async (task: Task, path: TaskState[], last: Partial<Task> = {}) => {
    let current = (await h().deps.store.get(task.id))!;
    for (const [i, to] of path.entries()) {
      const plan = to === "awaiting_approval" ? { plan: samplePlan(`Plan ${current.planVersion + 1}`), planVersion: current.planVersion + 1 } : {};
      const moved = await h().deps.store.transition(task.id, {
        from: current.state,
        to,
        actor: "openjules",
        reason: `to ${to}`,
        patch: { ...plan, ...(i === path.length - 1 ? last : {}) },
      });
      assert.ok(moved, `${current.state} -> ${to}`);
      current = moved;
    }
    return current;
  };

  it("reads a line written in pieces once it is complete, reports an over-long line, and reads an inbox replaced by a shorter one from its start", async () => {
    installed(3);
    const channel = start();
    await appendFile(inbox, '{"version":1,"id":"a","pro');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await tasks(), []);
    await appendFile(inbox, 'mpt":"Piece by piece é"}');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await tasks(), []);
    await appendFile(inbox, "\n");
    await taskOf("Piece by piece é");

    await appendFile(inbox, `${"x".repeat(300 * 1024)}\n${prompt("b", "After the long line")}`);
    const long = await lineFor("for the long line", (l) => l.id === "line-2");
    assert.deepEqual([long.status, long.error], ["invalid", "Line 2 is longer than 256 KiB."]);
    await taskOf("After the long line");

    await writeFile(inbox, prompt("c", "In a new inbox"));
    await taskOf("In a new inbox");
    assert.ok(channel.logs.some((l) => l.includes("it was truncated or replaced, and is read again from its start")));
    await stop(channel);
    assert.equal((await tasks()).length, 3);
    gh.assertClean();
  });

  it("writes a new line for a revised plan and for a pause, each once, and the end after the resume", async () => {
    installed(1);
    const channel = start();
    await appendFile(inbox, prompt("p", "Plan twice"));
    const task = await taskOf("Plan twice");
    await move(task, ["planning", "awaiting_approval"]);
    await lineFor("for the first plan", (l) => l.plan?.version === 1);
    await move(task, ["revising", "awaiting_approval"]);
    const second = await lineFor("for the second plan", (l) => l.plan?.version === 2);
    assert.equal(second.plan?.summary, "Plan 2");
    const at = new Date().toISOString();
    await move(task, ["approved", "working", "paused"], { pause: { cause: "cost", reason: "reached its budget of $2.00", at, checkpointSha: null, summary: "half" } });
    const paused = await lineFor("for the pause", (l) => l.status === "paused");
    assert.equal(
      paused.summary,
      `Paused (reached its budget of $2.00); the work so far is kept. Resume it with openjules tasks resume ${task.id} (--extra '$2' for more budget), or cancel it.`,
    );
    await move(task, ["approved", "working", "done"]);
    await lineFor("for the end", (l) => l.status === "done");
    await stop(channel);
    assert.deepEqual(
      (await outboxLines()).map((l) => [l.status, l.plan?.version ?? null]),
      [
        ["awaiting_approval", 1],
        ["awaiting_approval", 2],
        ["paused", null],
        ["done", null],
      ],
    );
  });

  it("does not write again the lines a stopped run wrote to the outbox before it could save its state", async () => {
    installed(1);
    let channel = start();
    await appendFile(inbox, prompt("w", "Written before the stop"));
    const task = await taskOf("Written before the stop");
    await move(task, ["planning", "awaiting_approval"]);
    await lineFor("for the plan", (l) => l.status === "awaiting_approval");
    const afterFirst = JSON.parse(await readFile(`${outbox}.state.json`, "utf8"));
    await appendFile(inbox, "{broken\n");
    await lineFor("for the broken line", (l) => l.id === "line-2");
    await stop(channel);

    // The state as it was just before the plan's line was written: that line and the broken line's are unsaved.
    await writeFile(`${outbox}.state.json`, JSON.stringify({ ...afterFirst, outboxSize: 0, prompts: { w: { ...afterFirst.prompts.w, reported: null } } }));
    channel = start();
    await appendFile(inbox, "{also broken\n");
    await lineFor("for the next broken line", (l) => l.id === "line-3");
    const reported = async () => JSON.parse(await readFile(`${outbox}.state.json`, "utf8")).prompts.w?.reported;
    for (const start = Date.now(); (await reported()) !== "awaiting_approval:1"; await new Promise((r) => setTimeout(r, 20)))
      assert.ok(Date.now() - start < 10_000, "the plan's report is recorded again");
    await stop(channel);
    assert.deepEqual(
      (await outboxLines()).map((l) => `${l.id} ${l.status}`),
      ["w awaiting_approval", "line-2 invalid", "line-3 invalid"],
    );
    assert.equal((await tasks()).length, 1);
  });
});
