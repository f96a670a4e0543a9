/**
 * What only the embedded queue has to show: it shares a file with the task
 * store; it refuses a newer schema; a lost lease aborts the run and drops its
 * result; enqueue wakes started queues at once; finished jobs are pruned.
 * (Lease renewal and worker processes are contract cases: contract-processes.ts.)
 */
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openEmbeddedQueue, type EmbeddedQueue, type EmbeddedQueueOptions } from "../../src/queue/embedded/index.ts";
import type { Job, JobHandlers } from "../../src/queue/port.ts";
import { SchemaTooNewError } from "../../src/store/migrate.ts";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-task-store.ts";
import { newTask } from "../store/fixtures.ts";
import { aborted, deferred } from "./deferred.ts";
import { memoryLogger } from "./memory-logger.ts";
import { taskMigrations } from "../../src/store/sqlite/migrations/all.ts";

const noFailures: JobHandlers["onFailed"] = async (job, error) => assert.fail(`unexpected onFailed for ${job.id}: ${error.message}`);

describe("embedded queue on SQLite", { timeout: 120_000 }, () => {
  let dir: string;
  let n = 0;
  const dbPath = () => join(dir, `case-${++n}`, "openjules.db");
  const queues: EmbeddedQueue[] = [];
  const open = (path: string, options: EmbeddedQueueOptions = {}) => {
    const queue = openEmbeddedQueue(path, { pollMs: 10, backoffMs: 5, logger: memoryLogger(), ...options });
    queues.push(queue);
    return queue;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openjules-embedded-"));
  });
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("shares one database file with the task store", async () => {
    const path = dbPath();
    const store = openSqliteStore(path);
    const queue = open(path);
    try {
      const created = await store.create(newTask(), "alice", "start");
      assert.ok(created.created);
      assert.ok(await queue.enqueue({ id: `plan:${created.task.id}:1`, name: "plan", data: { taskId: created.task.id } }));
      const ran = deferred<Job>();
      await queue.start({ run: async (job) => ran.resolve(job), onFailed: noFailures }, 1);
      assert.deepEqual((await ran.promise).data, { taskId: created.task.id });
      await queue.idle();
    } finally {
      await queue.close();
      await store.close();
    }
    const again = [openSqliteStore(path), open(path)] as const;
    await Promise.all(again.map((x) => x.close()));
    const db = new DatabaseSync(path);
    const rows = db
      .prepare("SELECT component, version FROM schema_migrations ORDER BY component")
      .all()
      .map((r) => ({ ...r }));
    db.close();
    assert.deepEqual(rows, [{ component: "jobs", version: 1 }, ...taskMigrations.map((m) => ({ component: "tasks", version: m.version }))]);
  });

  it("refuses a jobs schema from a newer OpenJules and rejects bad options", async () => {
    const path = dbPath();
    await open(path).close();
    const db = new DatabaseSync(path);
    db.prepare("INSERT INTO schema_migrations VALUES ('jobs', 2, 'future', 'later')").run();
    db.close();
    assert.throws(() => open(path), SchemaTooNewError);
    assert.throws(() => open(dbPath(), { leaseMs: 0 }), /leaseMs must be an integer ≥ 30/);
    assert.throws(() => open(dbPath(), { workerId: " " }), /workerId must be a non-empty string/);
  });

  it("aborts a run whose lease was lost and never overwrites the new owner", async () => {
    const path = dbPath();
    const logger = memoryLogger();
    const a = open(path, { leaseMs: 300, logger });
    const started = deferred<Job>();
    await a.enqueue({ id: "execute:stolen", name: "execute", data: null });
    await a.start({ run: async (job) => (started.resolve(job), await aborted(job.signal)), onFailed: noFailures }, 1);
    const first = await started.promise;
    const db = new DatabaseSync(path);
    try {
      // What another worker does when it takes the job over: a new lease, the next attempt.
      db.prepare("UPDATE jobs SET lease_owner = 'other-worker', lease_until = ?, attempt = 2 WHERE id = 'execute:stolen'").run(Date.now() + 600_000);
      await aborted(first.signal);
      assert.match(String(first.signal.reason), /Lost the lease on job execute:stolen/);
      assert.ok(logger.entries.some((e) => e.level === "warn" && /Lost the lease/.test(e.message)));
      await a.stop(10_000);
      const row = { ...db.prepare("SELECT state, lease_owner, attempt FROM jobs WHERE id = 'execute:stolen'").get() };
      assert.deepEqual(row, { state: "active", lease_owner: "other-worker", attempt: 2 }, "the old run's result was dropped");
    } finally {
      db.close();
    }
  });

  it("wakes started queues in this process at once on enqueue, without waiting for a poll", { timeout: 30_000 }, async () => {
    const path = dbPath();
    const worker = open(path, { pollMs: 3_600_000 });
    const web = open(path, { pollMs: 3_600_000 });
    const ran = deferred<string>();
    await worker.start({ run: async (job) => ran.resolve(job.id), onFailed: noFailures }, 1);
    await web.enqueue({ id: "inbound:wake", name: "inbound", data: null });
    assert.equal(await ran.promise, "inbound:wake");
  });

  it("prunes finished jobs after the retention period, never unfinished ones", async () => {
    const path = dbPath();
    const worker = open(path);
    await worker.enqueue({ id: "inbound:old", name: "inbound", data: null });
    await worker.start({ run: async () => {}, onFailed: noFailures }, 1);
    await worker.idle();
    await worker.close();
    const db = new DatabaseSync(path);
    db.prepare(
      "INSERT INTO jobs (id, name, data, state, attempt, max_attempts, run_at, created_at, updated_at) VALUES ('inbound:later', 'inbound', 'null', 'waiting', 0, 3, 9e15, 0, 0)",
    ).run();
    db.prepare("UPDATE jobs SET updated_at = 0 WHERE id = 'inbound:old'").run();
    db.close();
    const pruner = open(path, { retentionMs: 60_000 });
    await pruner.start({ run: async (job) => assert.fail(`${job.id} is not due`), onFailed: noFailures }, 1);
    await pruner.stop();
    assert.equal(await pruner.enqueue({ id: "inbound:old", name: "inbound", data: null }), true, "the pruned id is free again");
    assert.equal(await pruner.enqueue({ id: "inbound:later", name: "inbound", data: null }), false, "unfinished jobs are kept");
    assert.equal(await pruner.depth(), 2);
  });
});
