/**
 * A separate worker process on Redis for the BullMQ queue's process tests,
 * opened through openQueue() with REDIS_URL argv[3] and key prefix argv[4].
 *   bullmq-child.ts hang <url> <prefix>       starts a worker (500 ms lease) whose
 *                                             handler prints "running <id> <attempt>"
 *                                             and never finishes (the parent then
 *                                             SIGKILLs this process).
 *   bullmq-child.ts lifecycle <url> <prefix>  enqueues and runs three jobs, stops and
 *                                             closes the queue, prints "closed 3", and
 *                                             must then exit on its own (no handles left).
 */
import { tmpdir } from "node:os";
import { openQueue } from "../../src/queue/open.ts";

const [mode, redisUrl, prefix] = process.argv.slice(2);
if (!redisUrl || !prefix || (mode !== "hang" && mode !== "lifecycle")) throw new Error("usage: bullmq-child.ts hang|lifecycle <redisUrl> <prefix>");
const quiet = { warn: () => {}, error: () => {} };

if (mode === "hang") {
  const queue = await openQueue({ dataDir: tmpdir(), redisUrl, worker: { leaseMs: 500, jobAttempts: 3 } }, { prefix, logger: quiet });
  await queue.start({
    run: (job) => {
      process.stdout.write(`running ${job.id} ${job.attempt}\n`);
      return new Promise(() => {});
    },
    onFailed: async () => {},
  }, 1);
} else {
  const queue = await openQueue({ dataDir: tmpdir(), redisUrl, worker: { leaseMs: 5_000, jobAttempts: 3 } }, { prefix, logger: quiet });
  let ran = 0;
  await queue.start({ run: async () => void (ran += 1), onFailed: async () => {} }, 2);
  for (const id of ["inbound:1", "inbound:2", "inbound:3"]) await queue.enqueue({ id, name: "inbound", data: null });
  await queue.idle();
  await queue.stop(1_000);
  await queue.close();
  process.stdout.write(`closed ${ran}\n`);
}
