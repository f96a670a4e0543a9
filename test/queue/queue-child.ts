/**
 * A separate process for the embedded queue's process-level tests.
 *   queue-child.ts hang <db>       starts a worker whose handler prints
 *                                  "running <id> <attempt>" and never finishes
 *                                  (the parent then SIGKILLs this process).
 *   queue-child.ts lifecycle <db>  enqueues and runs three jobs, stops and
 *                                  closes the queue, prints "closed", and must
 *                                  then exit on its own (no handles left).
 */
import { openEmbeddedQueue } from "../../src/queue/embedded/index.ts";

const [mode, path] = process.argv.slice(2);
if (!path || (mode !== "hang" && mode !== "lifecycle")) throw new Error("usage: queue-child.ts hang|lifecycle <db>");

if (mode === "hang") {
  const queue = openEmbeddedQueue(path, { leaseMs: 500, pollMs: 10 });
  await queue.start({
    run: (job) => {
      process.stdout.write(`running ${job.id} ${job.attempt}\n`);
      return new Promise(() => {});
    },
    onFailed: async () => {},
  }, 1);
} else {
  const queue = openEmbeddedQueue(path, { pollMs: 10, leaseMs: 5_000 });
  let ran = 0;
  await queue.start({ run: async () => void (ran += 1), onFailed: async () => {} }, 2);
  for (const id of ["inbound:1", "inbound:2", "inbound:3"]) await queue.enqueue({ id, name: "inbound", data: null });
  await queue.idle();
  await queue.stop(1_000);
  await queue.close();
  process.stdout.write(`closed ${ran}\n`);
}
