/**
 * The queue is chosen by the settings: the embedded queue in the data
 * directory's database when REDIS_URL is unset, BullMQ when it is set; both
 * take the lease and default attempts from the worker settings.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { BullmqQueue } from "../../src/queue/bullmq/index.ts";
import { EmbeddedQueue } from "../../src/queue/embedded/index.ts";
import { openQueue, queueBackend, type QueueSettings } from "../../src/queue/open.ts";
import type { Job, JobQueue } from "../../src/queue/port.ts";
import { removeQueueData, TEST_REDIS_URL, uniquePrefix } from "../helpers/services.ts";
import { deferred } from "./deferred.ts";
import { memoryLogger } from "./memory-logger.ts";

async function firstJob(queue: JobQueue): Promise<Job> {
  const seen = deferred<Job>();
  await queue.enqueue({ id: "inbound:open", name: "inbound", data: { n: 1 } });
  await queue.start({ run: async (job) => seen.resolve(job), onFailed: async () => {} }, 1);
  const job = await seen.promise;
  await queue.idle();
  return job;
}

describe("openQueue", { timeout: 60_000 }, () => {
  let dir: string;
  const prefix = uniquePrefix("open-queue");
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openjules-open-queue-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await removeQueueData(prefix);
  });

  it("opens the embedded queue in the data directory when REDIS_URL is unset", async () => {
    const settings: QueueSettings = { dataDir: dir, redisUrl: undefined, worker: { leaseMs: 30_000, jobAttempts: 4 } };
    assert.equal(queueBackend(settings), "embedded");
    const queue = await openQueue(settings, { logger: memoryLogger() });
    try {
      assert.ok(queue instanceof EmbeddedQueue);
      assert.equal(queue.path, join(dir, "openjules.db"));
      assert.equal((await firstJob(queue)).maxAttempts, 4);
    } finally {
      await queue.close();
    }
  });

  it("opens BullMQ when REDIS_URL is set, under the JULES_REDIS_PREFIX of the settings", async () => {
    const settings: QueueSettings = { dataDir: dir, redisUrl: TEST_REDIS_URL, redisPrefix: prefix, worker: { leaseMs: 30_000, jobAttempts: 5 } };
    assert.equal(queueBackend(settings), "bullmq");
    const queue = await openQueue(settings, { logger: memoryLogger() });
    try {
      assert.ok(queue instanceof BullmqQueue);
      assert.equal((await firstJob(queue)).maxAttempts, 5);
      const check = new Queue("jobs", { connection: { url: TEST_REDIS_URL }, prefix });
      try {
        assert.equal((await check.getJobCounts("completed")).completed, 1, "the job lives under the configured prefix");
      } finally {
        await check.close();
      }
    } finally {
      await queue.close();
    }
  });
});
