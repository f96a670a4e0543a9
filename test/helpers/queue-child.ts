/**
 * A separate worker process for the queues' process-level tests, on the
 * embedded queue (argv[3] is a SQLite file) or BullMQ (argv[3] is a redis://
 * URL, argv[4] the key prefix).
 *   queue-child.ts hang <where> [prefix]       starts a worker (500 ms lease) whose
 *                                              handler prints "running <id> <attempt>"
 *                                              and never finishes (the parent then
 *                                              SIGKILLs this process).
 *   queue-child.ts lifecycle <where> [prefix]  enqueues and runs three jobs, stops and
 *                                              closes the queue, prints "closed 3", and
 *                                              must then exit on its own (no handles left).
 */
import { tmpdir } from "node:os";
import { openEmbeddedQueue } from "../../src/queue/embedded/index.ts";
import { openQueue } from "../../src/queue/open.ts";
import type { JobQueue } from "../../src/queue/port.ts";

const [mode, where, prefix] = process.argv.slice(2);
if (!where || (mode !== "hang" && mode !== "lifecycle")) throw new Error("usage: queue-child.ts hang|lifecycle <sqlite file | redis url> [prefix]");
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function open(leaseMs: number): Promise<JobQueue> | JobQueue {
  if (!/^rediss?:\/\//.test(where!)) return openEmbeddedQueue(where!, { leaseMs, pollMs: 10 });
  return openQueue({ dataDir: tmpdir(), redisUrl: where, worker: { leaseMs, jobAttempts: 3 } }, { logger: quiet, ...(prefix ? { prefix } : {}) });
}

if (mode === "hang") {
  const queue = await open(500);
  await queue.start(
    {
      run: (job) => {
        process.stdout.write(`running ${job.id} ${job.attempt}\n`);
        return new Promise(() => {});
      },
      onFailed: async () => {},
    },
    1,
  );
} else {
  const queue = await open(5_000);
  let ran = 0;
  await queue.start({ run: async () => void (ran += 1), onFailed: async () => {} }, 2);
  for (const id of ["inbound:1", "inbound:2", "inbound:3"]) await queue.enqueue({ id, name: "inbound", data: null });
  await queue.idle();
  await queue.stop(1_000);
  await queue.close();
  process.stdout.write(`closed ${ran}\n`);
}
