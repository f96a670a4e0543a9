/**
 * What only the BullMQ queue has to show, against the real Redis: a lost
 * lock aborts the run and drops its result (lock renewal and worker processes
 * are contract cases: contract-processes.ts); ids BullMQ itself would refuse
 * work; concurrent enqueues of one id create it once; a job BullMQ fails on
 * its own (its stall limit) is still reported once; finished jobs are removed
 * after the retention period; bad settings and an unreachable Redis are
 * explained without the password. Every test has its own key prefix.
 */
import { afterEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { Queue } from "bullmq";
import { openBullmqQueue, type BullmqQueue, type BullmqQueueOptions } from "../../src/queue/bullmq/index.ts";
import { bullJobId } from "../../src/queue/bullmq/job-record.ts";
import { MAX_JOB_ATTEMPTS } from "../../src/queue/bullmq/options.ts";
import type { Job, JobHandlers } from "../../src/queue/port.ts";
import { removeQueueData, TEST_REDIS_URL, uniquePrefix } from "../helpers/services.ts";
import { aborted, deferred } from "./deferred.ts";
import { memoryLogger } from "./memory-logger.ts";

const noFailures: JobHandlers["onFailed"] = async (job, error) => assert.fail(`unexpected onFailed for ${job.id}: ${error.message}`);
const never = () => new Promise<void>(() => {});

describe("BullMQ queue on Redis", { timeout: 120_000 }, () => {
  const queues: BullmqQueue[] = [];
  const raw: Queue[] = [];
  const prefixes: string[] = [];
  const prefix = () => {
    const p = uniquePrefix("bullmq");
    prefixes.push(p);
    return p;
  };
  const open = async (p: string, options: Partial<BullmqQueueOptions> = {}) => {
    const queue = await openBullmqQueue({ url: TEST_REDIS_URL, prefix: p, pollMs: 20, backoffMs: 5, logger: memoryLogger(), ...options });
    queues.push(queue);
    return queue;
  };
  /** The queue's Redis keys, for doing what only a crash or a slow worker would do. */
  const redis = async (p: string) => {
    const queue = new Queue("jobs", { connection: { url: TEST_REDIS_URL }, prefix: p });
    raw.push(queue);
    return { client: await queue.getBackend().client, key: (specId: string) => queue.toKey(bullJobId(specId)) };
  };
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
    for (const queue of raw.splice(0)) await queue.close();
    for (const p of prefixes.splice(0)) await removeQueueData(p);
  });

  it("aborts a run whose lock was lost, drops its result, and runs the job again as interrupted", async () => {
    const p = prefix();
    const logger = memoryLogger();
    const a = await open(p, { leaseMs: 300, logger });
    const { client, key } = await redis(p);
    const first = deferred<Job>();
    const seen: Job[] = [];
    await a.enqueue({ id: "execute:stolen", name: "execute", data: null });
    await a.start(
      {
        run: async (job) => {
          seen.push(job);
          if (job.attempt > 1) return;
          first.resolve(job);
          await aborted(job.signal);
          throw new Error("must not be recorded");
        },
        onFailed: noFailures,
      },
      1,
    );
    const job = await first.promise;
    await client.del(`${key("execute:stolen")}:lock`);
    await aborted(job.signal);
    assert.match(String(job.signal.reason), /Lost the lock on job execute%3Astolen/);
    await a.idle();
    assert.deepEqual(
      seen.map((j) => [j.attempt, j.lastError]),
      [
        [1, null],
        [2, "interrupted"],
      ],
    );
    assert.ok(logger.entries.some((e) => e.level === "warn" && /Lost the lock/.test(e.message)));
  });

  it("keeps ids BullMQ would refuse (colons, digits only) and never mixes up their escapes", async () => {
    const queue = await open(prefix());
    const ids = ["execute:task-1:sha256:abc", "123", "inbound:x", "inbound%3Ax", "%N123"];
    for (const id of ids) assert.equal(await queue.enqueue({ id, name: "inbound", data: id }), true, id);
    for (const id of ids) assert.equal(await queue.enqueue({ id, name: "inbound", data: "again" }), false, id);
    const seen: [string, unknown][] = [];
    await queue.start({ run: async (job) => void seen.push([job.id, job.data]), onFailed: noFailures }, 2);
    await queue.idle();
    assert.deepEqual(seen.sort(), ids.map((id) => [id, id]).sort());
  });

  it("creates a job once when many enqueue the same new id at the same time", async () => {
    const p = prefix();
    const a = await open(p);
    const b = await open(p);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).enqueue({ id: "inbound:burst", name: "inbound", data: i })));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await a.depth(), 1);
  });

  it("reports once a job that BullMQ failed on its own, past its stall limit", async () => {
    const p = prefix();
    const a = await open(p, { leaseMs: 300 });
    const { client, key } = await redis(p);
    const started = deferred();
    await a.enqueue({ id: "execute:poison", name: "execute", data: null });
    await a.start({ run: () => (started.resolve(), never()), onFailed: noFailures }, 1);
    await started.promise;
    await client.hset(key("execute:poison"), { stc: MAX_JOB_ATTEMPTS + 1 });
    await a.simulateCrash();
    const b = await open(p, { leaseMs: 300 });
    const failed: [Job, Error][] = [];
    await b.start({ run: async (job) => assert.fail(`${job.id} must not run again`), onFailed: async (job, error) => void failed.push([job, error]) }, 1);
    await b.idle();
    assert.equal(failed.length, 1);
    assert.equal(failed[0]![0].id, "execute:poison");
    assert.match(failed[0]![1].message, /^interrupted.*job stalled more than allowable limit/);
  });

  it("removes finished jobs after the retention period, freeing their ids", async () => {
    const queue = await open(prefix(), { retentionMs: 1_000 });
    await queue.enqueue({ id: "inbound:old", name: "inbound", data: null });
    await queue.start({ run: async () => {}, onFailed: noFailures }, 1);
    await queue.idle();
    assert.equal(await queue.enqueue({ id: "inbound:old", name: "inbound", data: null }), false, "kept while within retention");
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await queue.enqueue({ id: "inbound:later", name: "inbound", data: null });
    await queue.idle();
    assert.equal(await queue.enqueue({ id: "inbound:old", name: "inbound", data: null }), true, "evicted when a later job finished");
    await queue.idle();
  });

  it("explains bad settings and an unreachable Redis without printing the password", async () => {
    await assert.rejects(
      open(prefix(), { url: "redis://:s3cret-pw@127.0.0.1:1", connectTimeoutMs: 1_500 }),
      (e: unknown) => e instanceof Error && e.message.startsWith("Cannot use Redis at redis://:***@127.0.0.1:1 (REDIS_URL): ") && !e.message.includes("s3cret"),
    );
    await assert.rejects(open(prefix(), { url: "http://127.0.0.1:6379" }), /REDIS_URL must start with redis:\/\/ or rediss:\/\//);
    await assert.rejects(open(prefix(), { leaseMs: 10 }), /leaseMs must be an integer from 100/);
    await assert.rejects(open(prefix(), { prefix: "a:b" }), /prefix must be letters, digits/);
    const queue = await open(prefix());
    await assert.rejects(queue.enqueue({ id: "x", name: "plan", data: null, maxAttempts: MAX_JOB_ATTEMPTS + 1 }), /maxAttempts must be at most 100/);
  });
});
