/**
 * JobQueue contract, part 1: one worker. Ids de-duplicate for the life of a
 * job (even after it completed); handlers get the job as typed; jobs survive
 * the queue being closed and reopened; failures retry with backoff and then
 * call onFailed exactly once; PermanentJobError skips the retries; idle()
 * waits for delayed retries; bad input is refused clearly.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { PermanentJobError, type Job, type JobHandlers } from "../../src/queue/port.ts";
import type { QueueContext } from "./contract.ts";
import { countdown } from "./deferred.ts";

const noFailures: JobHandlers["onFailed"] = async (job, error) => {
  throw new Error(`unexpected onFailed for ${job.id}: ${error.message}`);
};

export function basicCases(t: QueueContext): void {
  describe("jobs and ids", () => {
    it("runs a job once per id, even when enqueued again after it completed", async () => {
      const queue = await t.open();
      const seen: Job[] = [];
      assert.equal(await queue.enqueue({ id: "plan:t1:1", name: "plan", data: { taskId: "t1", nested: [1, "two", null] } }), true);
      assert.equal(await queue.enqueue({ id: "plan:t1:1", name: "plan", data: { taskId: "other" } }), false);
      assert.equal(await queue.depth(), 1);
      await queue.start({ run: async (job) => void seen.push(job), onFailed: noFailures }, 2);
      await queue.idle();
      assert.equal(await queue.enqueue({ id: "plan:t1:1", name: "plan", data: { taskId: "late" } }), false);
      await queue.idle();
      assert.equal(seen.length, 1);
      const [job] = seen;
      const before = Date.now();
      assert.deepEqual(
        { ...job, signal: undefined, readyAt: undefined },
        {
          id: "plan:t1:1",
          name: "plan",
          data: { taskId: "t1", nested: [1, "two", null] },
          attempt: 1,
          maxAttempts: 3,
          lastError: null,
          signal: undefined,
          readyAt: undefined,
        },
      );
      assert.ok(typeof job!.readyAt === "number" && job!.readyAt <= before && job!.readyAt > before - 60_000, "readyAt is when the job became due");
      assert.ok(job!.signal instanceof AbortSignal);
      assert.equal(job!.signal.aborted, false);
      assert.equal(await queue.depth(), 0);
    });

    it("keeps waiting jobs across close and reopen", async () => {
      const first = await t.open();
      for (const id of ["inbound:a", "inbound:b", "inbound:c"]) assert.ok(await first.enqueue({ id, name: "inbound", data: id, maxAttempts: 5 }));
      await first.close();
      const second = await t.open();
      assert.equal(await second.depth(), 3);
      const ran: Job[] = [];
      await second.start({ run: async (job) => void ran.push(job), onFailed: noFailures }, 1);
      await second.idle();
      assert.deepEqual(ran.map((j) => [j.id, j.data, j.maxAttempts]).sort(), [
        ["inbound:a", "inbound:a", 5],
        ["inbound:b", "inbound:b", 5],
        ["inbound:c", "inbound:c", 5],
      ]);
    });

    it("refuses bad input and misuse with clear errors", async () => {
      const queue = await t.open();
      await assert.rejects(queue.enqueue({ id: "", name: "plan", data: null }), /job id must be a non-empty string/);
      await assert.rejects(queue.enqueue({ id: "x", name: "plan", data: null, maxAttempts: 0 }), /maxAttempts must be a positive integer/);
      await assert.rejects(queue.enqueue({ id: "x", name: "plan", data: { n: 1n } }), /data must be JSON-serializable/);
      await assert.rejects(queue.start({ run: async () => {}, onFailed: noFailures }, 0), /Concurrency must be a positive integer/);
      await assert.rejects(queue.start({ run: async () => {} } as unknown as JobHandlers, 1), /needs handlers with run\(\) and onFailed\(\)/);
      await assert.rejects(queue.stop(-1), /grace period must be ≥ 0 ms/);
      await queue.start({ run: async () => {}, onFailed: noFailures }, 1);
      await assert.rejects(queue.start({ run: async () => {}, onFailed: noFailures }, 1), /already started/);
      await queue.close();
      await assert.rejects(queue.enqueue({ id: "y", name: "plan", data: null }), /closed/);
      await assert.rejects(queue.start({ run: async () => {}, onFailed: noFailures }, 1), /closed; it cannot be used after close/);
    });
  });

  describe("failures", () => {
    it("retries with backoff, then calls onFailed exactly once with the last error", async () => {
      const queue = await t.open({ backoffMs: 5 });
      const attempts: [number, string | null][] = [];
      const failed: [Job, Error][] = [];
      await queue.enqueue({ id: "execute:t2", name: "execute", data: {}, maxAttempts: 3 });
      await queue.start(
        {
          run: async (job) => {
            attempts.push([job.attempt, job.lastError]);
            throw new Error(`boom ${job.attempt}`);
          },
          onFailed: async (job, error) => void failed.push([job, error]),
        },
        1,
      );
      await queue.idle();
      assert.deepEqual(attempts, [
        [1, null],
        [2, "boom 1"],
        [3, "boom 2"],
      ]);
      assert.equal(failed.length, 1);
      assert.equal(failed[0]![0].id, "execute:t2");
      assert.equal(failed[0]![0].attempt, 3);
      assert.equal(failed[0]![1].message, "boom 3");
      assert.equal(await queue.enqueue({ id: "execute:t2", name: "execute", data: {} }), false, "a failed id stays taken");
    });

    it("completes a job that succeeds on a later attempt, without onFailed", async () => {
      const queue = await t.open({ backoffMs: 5 });
      const attempts: number[] = [];
      await queue.enqueue({ id: "plan:t3:1", name: "plan", data: {} });
      await queue.start(
        {
          run: async (job) => {
            attempts.push(job.attempt);
            if (job.attempt < 2) throw "a thrown string";
          },
          onFailed: noFailures,
        },
        1,
      );
      await queue.idle();
      assert.deepEqual(attempts, [1, 2]);
    });

    it("fails at once on PermanentJobError", async () => {
      const queue = await t.open({ backoffMs: 5 });
      const attempts: number[] = [];
      const failed: Error[] = [];
      await queue.enqueue({ id: "plan:t4:1", name: "plan", data: {}, maxAttempts: 5 });
      await queue.start(
        {
          run: async (job) => {
            attempts.push(job.attempt);
            throw new PermanentJobError("the repository is archived");
          },
          onFailed: async (_job, error) => void failed.push(error),
        },
        1,
      );
      await queue.idle();
      assert.deepEqual(attempts, [1]);
      assert.equal(failed.length, 1);
      assert.ok(failed[0] instanceof PermanentJobError);
      assert.equal(failed[0]!.message, "the repository is archived");
    });

    it("waits in idle() for a delayed retry", async () => {
      const queue = await t.open({ backoffMs: 150 });
      const runs = countdown(2);
      await queue.enqueue({ id: "inbound:retry", name: "inbound", data: {} });
      await queue.start(
        {
          run: async (job) => {
            runs.hit();
            if (job.attempt === 1) throw new Error("transient");
          },
          onFailed: noFailures,
        },
        1,
      );
      await queue.idle();
      assert.equal(runs.count, 2, "idle() resolved only after the retry ran");
    });

    it("records a job as failed even when onFailed throws", async () => {
      const queue = await t.open();
      const calls = countdown(1);
      await queue.enqueue({ id: "plan:t5:1", name: "plan", data: {}, maxAttempts: 1 });
      await queue.start(
        {
          run: async () => {
            throw new Error("bad");
          },
          onFailed: async () => {
            calls.hit();
            throw new Error("reporting failed too");
          },
        },
        1,
      );
      await queue.idle();
      assert.equal(calls.count, 1);
      assert.equal(await queue.enqueue({ id: "plan:t5:1", name: "plan", data: {} }), false);
    });
  });
}
