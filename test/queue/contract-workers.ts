/**
 * JobQueue contract, part 2: workers coming and going. A job whose worker died
 * is taken over after its lease and sees "interrupted"; with no attempts left
 * it goes to onFailed instead; stop(grace) lets short jobs finish and hands
 * long ones back for another worker; the concurrency limit holds; and two
 * instances sharing the backend run each of 100 jobs exactly once.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import type { Job, JobHandlers } from "../../src/queue/port.ts";
import type { QueueContext } from "./contract.ts";
import { aborted, countdown, deferred } from "./deferred.ts";

const never = () => new Promise<void>(() => {});
const noFailures: JobHandlers["onFailed"] = async (job, error) => {
  throw new Error(`unexpected onFailed for ${job.id}: ${error.message}`);
};

export function workerCases(t: QueueContext): void {
  describe("dead workers", () => {
    it("takes over a job whose worker died, as attempt 2 with lastError 'interrupted'", async () => {
      const a = await t.open({ leaseMs: 400 });
      const started = deferred<Job>();
      await a.enqueue({ id: "execute:dies", name: "execute", data: { n: 1 } });
      await a.start({ run: (job) => (started.resolve(job), never()), onFailed: noFailures }, 1);
      assert.equal((await started.promise).attempt, 1);
      await t.crash(a);
      const b = await t.open({ leaseMs: 400 });
      const seen: Job[] = [];
      await b.start({ run: async (job) => void seen.push(job), onFailed: noFailures }, 1);
      await b.idle();
      assert.equal(seen.length, 1);
      assert.deepEqual([seen[0]!.id, seen[0]!.attempt, seen[0]!.lastError, seen[0]!.data], ["execute:dies", 2, "interrupted", { n: 1 }]);
    });

    it("reports a job whose worker died on its last attempt through onFailed, once", async () => {
      const a = await t.open({ leaseMs: 400 });
      const started = deferred();
      await a.enqueue({ id: "execute:last", name: "execute", data: {}, maxAttempts: 1 });
      await a.start({ run: () => (started.resolve(), never()), onFailed: noFailures }, 1);
      await started.promise;
      await t.crash(a);
      const b = await t.open({ leaseMs: 400 });
      const failed: [Job, Error][] = [];
      await b.start(
        {
          run: async (job) => assert.fail(`job ${job.id} must not run again`),
          onFailed: async (job, error) => void failed.push([job, error]),
        },
        1,
      );
      await b.idle();
      assert.equal(failed.length, 1);
      assert.equal(failed[0]![0].id, "execute:last");
      assert.equal(failed[0]![0].attempt, 1);
      assert.match(failed[0]![1].message, /^interrupted/);
    });
  });

  describe("stopping", () => {
    it("lets a job finish within the grace period", async () => {
      const a = await t.open();
      const started = deferred();
      const release = deferred();
      const finished = countdown(1);
      await a.enqueue({ id: "plan:grace", name: "plan", data: {} });
      await a.start({ run: async () => (started.resolve(), await release.promise, finished.hit()), onFailed: noFailures }, 1);
      await started.promise;
      const stopping = a.stop(60_000);
      release.resolve();
      await stopping;
      assert.equal(finished.count, 1);
      assert.equal(await a.depth(), 0);
      assert.equal(await a.enqueue({ id: "plan:grace", name: "plan", data: {} }), false);
      await a.idle();
    });

    it("hands a job back after the grace period; another worker completes it", async () => {
      const a = await t.open();
      const started = deferred<Job>();
      await a.enqueue({ id: "execute:handback", name: "execute", data: {} });
      await a.start({ run: async (job) => (started.resolve(job), await aborted(job.signal), Promise.reject(job.signal.reason)), onFailed: noFailures }, 1);
      const first = await started.promise;
      await a.stop(50);
      assert.equal(first.signal.aborted, true);
      assert.equal(await a.depth(), 1, "the job is waiting again");
      const b = await t.open();
      const seen: Job[] = [];
      await b.start({ run: async (job) => void seen.push(job), onFailed: noFailures }, 1);
      await b.idle();
      assert.deepEqual(
        seen.map((j) => [j.id, j.attempt, j.lastError]),
        [["execute:handback", 1, null]],
        "a handed-back run is not counted",
      );
    });
  });

  describe("parallel work", () => {
    it("never runs more jobs at once than the concurrency", async () => {
      const queue = await t.open();
      for (let i = 0; i < 12; i++) await queue.enqueue({ id: `inbound:c${i}`, name: "inbound", data: i });
      let running = 0;
      let peak = 0;
      const done = countdown(12);
      await queue.start(
        {
          run: async () => {
            running += 1;
            peak = Math.max(peak, running);
            await new Promise((resolve) => setTimeout(resolve, 15));
            running -= 1;
            done.hit();
          },
          onFailed: noFailures,
        },
        3,
      );
      await done.reached;
      await queue.idle();
      assert.ok(peak <= 3, `peak ${peak} exceeds the concurrency`);
      assert.ok(peak >= 2, "jobs ran in parallel");
    });

    it("runs each of 100 jobs exactly once across two instances", async () => {
      const a = await t.open();
      const b = await t.open();
      const runs = new Map<string, number>();
      const handlers = (): JobHandlers => ({
        run: async (job) => {
          runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
          await new Promise((resolve) => setImmediate(resolve));
        },
        onFailed: noFailures,
      });
      await a.start(handlers(), 4);
      await b.start(handlers(), 4);
      const ids = Array.from({ length: 100 }, (_, i) => `inbound:m${i}`);
      await Promise.all(ids.map((id, i) => (i % 2 ? a : b).enqueue({ id, name: "inbound", data: i })));
      await Promise.all([a.idle(), b.idle()]);
      assert.equal(runs.size, 100);
      const repeated = [...runs].filter(([, n]) => n !== 1);
      assert.deepEqual(repeated, []);
    });
  });
}
