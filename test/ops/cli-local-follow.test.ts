/**
 * `openjules tasks events --follow` and `tasks monitor` on this machine, with
 * no --server: the spawned CLI opens the store itself (the composition
 * root's control plane, src/ops/cli/local-plane.ts) and learns of new events
 * from the feed a CLI has (polling the store, or Redis pub/sub with
 * REDIS_URL), while this test process writes the task's events and moves it
 * through its states in the same store, as a worker does (its store wrapped
 * with the feed the settings choose: in-process for SQLite, which never
 * reaches the CLI; polling for PostgreSQL; Redis when REDIS_URL is set). Run
 * against the embedded SQLite file, PostgreSQL (a fresh schema), and
 * PostgreSQL with Redis.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { LogEventData, Task, TaskState } from "../../src/domain/model.ts";
import { openEventFeed } from "../../src/events/open.ts";
import { withEventFeed } from "../../src/events/with-event-feed.ts";
import { openStore } from "../../src/store/open.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { type CliChild, spawnCli, until } from "../helpers/cli-child.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { seedTask } from "../helpers/ops-fixtures.ts";
import { createTestSchema, removeQueueData, TEST_REDIS_URL, uniquePrefix } from "../helpers/services.ts";

interface Backend {
  /** The CLI's environment beyond the GitHub App's settings. */
  env: Record<string, string>;
  /** The writer: the store as a worker with these settings has it (writes notify the feed they choose). */
  store: TaskStore;
  close(): Promise<void>;
}

type Setup = (dataDir: string) => Promise<{ env: Record<string, string>; drop(): Promise<void> }>;

const SETUPS: [string, Setup][] = [
  ["the embedded SQLite file (polling feed)", async () => ({ env: {}, drop: async () => undefined })],
  [
    "PostgreSQL (polling feed)",
    async () => {
      const schema = await createTestSchema("cli-follow");
      return { env: { DATABASE_URL: schema.url }, drop: () => schema.drop() };
    },
  ],
  [
    "PostgreSQL and Redis (Redis pub/sub feed, BullMQ queue)",
    async () => {
      const schema = await createTestSchema("cli-follow-redis");
      const prefix = uniquePrefix("cli-follow");
      return {
        env: { DATABASE_URL: schema.url, REDIS_URL: TEST_REDIS_URL, JULES_REDIS_PREFIX: prefix },
        drop: async () => {
          await removeQueueData(prefix);
          await schema.drop();
        },
      };
    },
  ],
];

async function openBackend(setup: Setup): Promise<Backend> {
  const dataDir = await mkdtemp(join(tmpdir(), "jules-cli-follow-"));
  const { env, drop } = await setup(dataDir);
  const settings = { dataDir, databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL, redisPrefix: env.JULES_REDIS_PREFIX };
  const opened = await openStore(settings);
  const store = withEventFeed(opened, await openEventFeed(settings, opened));
  return {
    env: { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "secret", JULES_DATA_DIR: dataDir, ...env },
    store,
    async close() {
      await store.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const HISTORY = [
  "state (new) -> queued  by octocat via thread: test",
  "state queued -> planning  by openjules via system: to planning",
  "state planning -> awaiting_approval  by openjules via system: to awaiting_approval",
  "state awaiting_approval -> approved  by openjules via system: to approved",
  "state approved -> working  by openjules via system: to working",
];
const WORK: LogEventData[] = [
  { type: "activity", line: "read 3 files" },
  { type: "command", source: "tests", command: "npm test", exitCode: 0, durationMs: 2100 },
  { type: "output", source: "tests", chunk: "ok 1 config\nok 2 loader\n" },
];
const WORK_LINES = ["activity read 3 files", "command [tests] $ npm test -> exit 0 (2s)", "output [tests] │ ok 1 config", "output [tests] │ ok 2 loader"];
const PR = { pullRequestNumber: 9, pullRequestUrl: "https://github.com/Codertocat/Hello-World/pull/9" };
const PAUSE: LogEventData = { type: "paused", cause: "cost", reason: "reached its budget of $2.00", checkpointSha: "abcdef1234567890" };

/** The printed lines without their time of day. */
const lines = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => l.replace(/^\d\d:\d\d:\d\d /, ""));

describe.each(SETUPS)("openjules tasks events --follow / monitor on this machine, over %s (spawned CLI, the test writes)", (_, setup) => {
  let b: Backend;
  let cwd: string;
  const cli = (args: string[]): CliChild => spawnCli(args, b.env, cwd);
  const move = async (task: Task, from: TaskState, to: TaskState, patch: Partial<Task> = {}) => {
    const moved = await b.store.transition(task.id, { from, to, actor: "openjules", reason: `to ${to}`, patch });
    assert.ok(moved, `${from} -> ${to}`);
    return moved;
  };
  /** Holds until the child is quiet for a moment, still running: what it printed by then is all it had. */
  const stillRunning = async (child: CliChild) => {
    const ended = await Promise.race([child.exit.then(() => true), new Promise((r) => setTimeout(r, 1200, false))]);
    assert.equal(ended, false, `it ended early: ${child.stderr()}`);
  };

  beforeAll(async () => {
    b = await openBackend(setup);
    cwd = await mkdtemp(join(tmpdir(), "jules-cli-follow-cwd-"));
  });
  afterAll(async () => {
    await b?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it("events --follow prints the history, then each event as it is written; a pause does not end it, done does (exit 0)", async () => {
    const task = await seedTask(b.store, "working");
    const child = cli(["tasks", "events", task.id, "--follow"]);
    await until("the history is printed", () => child.stdout().includes("approved -> working"));
    await stillRunning(child);
    assert.deepEqual(lines(child.stdout()), HISTORY);

    await b.store.appendEvents(task.id, WORK);
    await until("live events are printed", () => child.stdout().includes("ok 2 loader"));
    await b.store.appendEvents(task.id, [PAUSE]);
    await move(task, "working", "paused");
    await until("the pause is printed", () => child.stdout().includes("working -> paused"));
    await stillRunning(child);
    await move(task, "paused", "approved");
    await move(task, "approved", "working");
    await b.store.appendEvents(task.id, [{ type: "activity", line: "resumed from the checkpoint" }]);
    await move(task, "working", "done", PR);

    assert.equal(await child.exit, 0, child.stderr());
    assert.equal(child.stderr(), "");
    assert.deepEqual(lines(child.stdout()), [
      ...HISTORY,
      ...WORK_LINES,
      "paused (cost): reached its budget of $2.00; work kept in abcdef123456",
      "state working -> paused  by openjules via system: to paused",
      "state paused -> approved  by openjules via system: to approved",
      "state approved -> working  by openjules via system: to working",
      "activity resumed from the checkpoint",
      "state working -> done  by openjules via system: to done",
    ]);
  });

  it("events --follow --json prints one JSON object per line, only after --after, and ends when the task fails (exit 0)", async () => {
    const task = await seedTask(b.store, "working");
    const history = await b.store.readEvents(task.id, 0, 100);
    const after = history[2]!.id; // queued, planning, awaiting_approval are left out
    const child = cli(["tasks", "events", task.id, "--follow", "--json", "--after", String(after)]);
    await until("the history is printed", () => child.stdout().includes('"to":"working"'));
    await b.store.appendEvents(task.id, [{ type: "activity", line: "editing src/config.ts" }]);
    await until("a live event is printed", () => child.stdout().includes("editing src/config.ts"));
    await move(task, "working", "failed", { failure: { phase: "tests", reason: "2 tests failed", hint: "look at the output" } });

    assert.equal(await child.exit, 0, child.stderr());
    const printed = child.stdout().trimEnd().split("\n");
    const events = printed.map((l) => JSON.parse(l) as { id: number; taskId: string; at: string; data: LogEventData });
    assert.deepEqual(
      events.map((e) => (e.data.type === "state" ? `state:${e.data.to}` : e.data.type)),
      ["state:approved", "state:working", "activity", "state:failed"],
    );
    assert.deepEqual(
      events.slice(0, 2).map((e) => e.id),
      history.slice(3).map((e) => e.id),
    );
    assert.ok(
      events.every((e, i) => e.taskId === task.id && e.id > (i === 0 ? after : events[i - 1]!.id)),
      "each event once, in order, after --after",
    );
    assert.deepEqual(events[2]!.data, { type: "activity", line: "editing src/config.ts" });
  });

  it("monitor prints plain lines, is not ended by an old pause in the history, and exits 0 when the task is done", async () => {
    let task = await seedTask(b.store, "working");
    await move(task, "working", "paused");
    await move(task, "paused", "approved");
    task = await move(task, "approved", "working");
    const child = cli(["tasks", "monitor", task.id]);
    await until("the history is printed", () => child.stdout().includes("paused -> approved"));
    await stillRunning(child);
    await b.store.appendEvents(task.id, WORK);
    await until("live events are printed", () => child.stdout().includes("ok 2 loader"));
    await move(task, "working", "done", PR);

    assert.equal(await child.exit, 0, child.stderr());
    const out = lines(child.stdout());
    assert.equal(out[0], `Monitoring task ${task.id} (Codertocat/Hello-World), working; stops when it is done, failed, cancelled or paused.`);
    assert.deepEqual(out.slice(1, -1), [
      ...HISTORY,
      "state working -> paused  by openjules via system: to paused",
      "state paused -> approved  by openjules via system: to approved",
      "state approved -> working  by openjules via system: to working",
      ...WORK_LINES,
      "state working -> done  by openjules via system: to done",
    ]);
    assert.match(out.at(-1)!, new RegExp(`^Task ${task.id} done: https://github\\.com/Codertocat/Hello-World/pull/9 \\(after \\d+s\\)\\.$`));
  });

  it("monitor exits 3 when the task fails, 5 when it pauses, 4 for a cancelled task (printed at once), 1 for an unknown task", async () => {
    const failing = await seedTask(b.store, "working");
    const pausing = await seedTask(b.store, "working");
    const fails = cli(["tasks", "monitor", failing.id]);
    const pauses = cli(["tasks", "monitor", pausing.id]);
    await until("both are watching", () => fails.stdout().includes("approved -> working") && pauses.stdout().includes("approved -> working"));
    await stillRunning(fails);
    await move(failing, "working", "failed", { failure: { phase: "tests", reason: "2 tests failed", hint: "look at the output" } });
    await b.store.appendEvents(pausing.id, [PAUSE]);
    await move(pausing, "working", "paused");

    assert.equal(await fails.exit, 3, fails.stderr());
    assert.match(
      fails.stdout(),
      /state working -> failed {2}by openjules via system: to failed\n.*failed while working on the changes: 2 tests failed \(after \d+s\)\. Next: look at the output\n$/,
    );
    assert.equal(await pauses.exit, 5, pauses.stderr());
    assert.match(pauses.stdout(), /paused \(cost\): reached its budget of \$2\.00; work kept in abcdef123456\n.*state working -> paused .*\nTask .* paused/);

    const cancelled = await seedTask(b.store, "cancelled");
    const done = cli(["tasks", "monitor", cancelled.id]);
    assert.equal(await done.exit, 4, done.stderr());
    assert.match(done.stdout(), /state awaiting_approval -> cancelled .*\nTask .* cancelled \(after \d+s\)\.\n$/);

    for (const args of [
      ["tasks", "monitor", "no-such-task"],
      ["tasks", "events", "no-such-task", "--follow"],
    ]) {
      const missing = cli(args);
      assert.equal(await missing.exit, 1, args.join(" "));
      assert.equal(missing.stdout(), "");
      assert.equal(missing.stderr(), "Task not found: There is no task no-such-task that you can see; list the tasks you can see first.\n");
    }
  });

  it("Ctrl-C ends monitor and events --follow of a task still working, with exit code 130", async () => {
    const task = await seedTask(b.store, "working");
    const children = [cli(["tasks", "monitor", task.id]), cli(["tasks", "events", task.id, "--follow"])];
    await until("both are watching", () => children.every((c) => c.stdout().includes("approved -> working")));
    await stillRunning(children[0]!);
    for (const child of children) child.kill("SIGINT");
    for (const child of children) assert.equal(await child.exit, 130, child.stderr());
  });
});
