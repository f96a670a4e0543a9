/**
 * JobQueue contract, part 3: separate processes and time. A long job's lease
 * is renewed while it runs, so another worker never takes it; a worker process
 * killed with SIGKILL has its job taken over as "interrupted"; a process that
 * closed its queue exits on its own (no timer or connection left open).
 * The worker processes are test/helpers/queue-child.ts.
 */
import { afterEach, describe, it } from "vitest";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { Job, JobHandlers } from "../../src/queue/port.ts";
import type { QueueContext } from "./contract.ts";
import { deferred } from "./deferred.ts";

const CHILD = new URL("../helpers/queue-child.ts", import.meta.url).pathname;
const noFailures: JobHandlers["onFailed"] = async (job, error) => {
  throw new Error(`unexpected onFailed for ${job.id}: ${error.message}`);
};

export function processCases(t: QueueContext): void {
  describe("processes and leases", () => {
    const children: ChildProcess[] = [];
    const run = (mode: "hang" | "lifecycle") => {
      const proc = spawn(process.execPath, [CHILD, mode, ...t.childArgs()], { stdio: ["ignore", "pipe", "inherit"] });
      children.push(proc);
      return proc;
    };
    afterEach(() => {
      for (const proc of children.splice(0)) if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    });

    it("renews the lease of a long job so no other worker takes it", async () => {
      const a = await t.open({ leaseMs: 1_500 });
      const b = await t.open({ leaseMs: 1_500 });
      const runs: string[] = [];
      const handlers = (name: string): JobHandlers => ({
        run: async (job) => {
          runs.push(`${name}:${job.attempt}`);
          await new Promise((resolve) => setTimeout(resolve, 4_000));
        },
        onFailed: noFailures,
      });
      await a.enqueue({ id: "execute:long", name: "execute", data: null });
      await a.start(handlers("a"), 1);
      await b.start(handlers("b"), 1);
      await Promise.all([a.idle(), b.idle()]);
      assert.equal(runs.length, 1, `runs: ${runs.join(", ")}`);
      assert.match(runs[0]!, /:1$/);
    });

    it("takes over the job of a worker process killed with SIGKILL", async () => {
      const queue = await t.open({ leaseMs: 500 });
      await queue.enqueue({ id: "execute:killed", name: "execute", data: { step: 3 } });
      const proc = run("hang");
      const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
      assert.equal((await lines.next()).value, "running execute:killed 1");
      proc.kill("SIGKILL");
      await once(proc, "exit");
      const seen = deferred<Job>();
      await queue.start({ run: async (job) => seen.resolve(job), onFailed: noFailures }, 1);
      const job = await seen.promise;
      assert.deepEqual([job.attempt, job.lastError, job.data], [2, "interrupted", { step: 3 }]);
      await queue.idle();
    });

    it("leaves nothing behind: a process that closed its queue exits on its own", async () => {
      const proc = run("lifecycle");
      let out = "";
      proc.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
      const [code] = (await once(proc, "exit")) as [number | null];
      assert.equal(code, 0);
      assert.equal(out, "closed 3\n");
    });
  });
}
