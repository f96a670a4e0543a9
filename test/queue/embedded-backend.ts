/**
 * The embedded SQLite queue for the contract suites: every instance of a test
 * opens the same database file (like processes sharing JULES_DATA_DIR), polls
 * every 10 ms, and logs into a list instead of stderr.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedQueue, openEmbeddedQueue } from "../../src/queue/embedded/index.ts";
import type { QueueBackend } from "./contract.ts";
import { memoryLogger } from "./memory-logger.ts";

export async function embeddedQueueBackend(): Promise<QueueBackend> {
  const dir = await mkdtemp(join(tmpdir(), "openjules-queue-"));
  const path = join(dir, "openjules.db");
  return {
    open: async (options = {}) =>
      openEmbeddedQueue(path, {
        leaseMs: options.leaseMs ?? 10_000,
        pollMs: 10,
        backoffMs: options.backoffMs ?? 5,
        defaultAttempts: options.attempts ?? 3,
        logger: memoryLogger(),
      }),
    crash: async (queue) => {
      if (!(queue instanceof EmbeddedQueue)) throw new TypeError("not an embedded queue");
      queue.simulateCrash();
    },
    childArgs: [path],
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
