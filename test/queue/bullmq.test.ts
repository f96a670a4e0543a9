/**
 * Runs the JobQueue contract on the BullMQ queue against the real Redis:
 * every instance of a test uses the same key prefix (like processes sharing
 * REDIS_URL), unique to that test, whose keys are removed afterwards; idle()
 * polls every 20 ms and the queue logs into a list instead of stderr.
 */
import { BullmqQueue, openBullmqQueue } from "../../src/queue/bullmq/index.ts";
import { removeQueueData, TEST_REDIS_URL, uniquePrefix } from "../helpers/services.ts";
import { queueContract, queueProcessContract, type QueueBackend } from "./contract.ts";
import { memoryLogger } from "./memory-logger.ts";

async function bullmqBackend(): Promise<QueueBackend> {
  const prefix = uniquePrefix("contract");
  return {
    open: (options = {}) =>
      openBullmqQueue({
        url: TEST_REDIS_URL,
        prefix,
        leaseMs: options.leaseMs ?? 10_000,
        pollMs: 20,
        backoffMs: options.backoffMs ?? 5,
        defaultAttempts: options.attempts ?? 3,
        logger: memoryLogger(),
      }),
    crash: async (queue) => {
      if (!(queue instanceof BullmqQueue)) throw new TypeError("not a BullMQ queue");
      await queue.simulateCrash();
    },
    childArgs: [TEST_REDIS_URL, prefix],
    cleanup: () => removeQueueData(prefix),
  };
}

queueContract("BullMQ on Redis", bullmqBackend);
queueProcessContract("BullMQ on Redis", bullmqBackend);
