/**
 * The BullMQ queue's pure bookkeeping: spec ids become ids BullMQ accepts
 * (no ":", never an integer) one-to-one, and a run's attempt number and last
 * error follow from BullMQ's counters and the run ledger in every order of
 * failures, lost runs and hand-backs.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import fc from "fast-check";
import { bullJobId, ledgerFor, runState, type JobCounters } from "../../src/queue/bullmq/job-record.ts";

const counters = (attemptsMade: number, stalledCounter: number, failedReason?: string, progress: unknown = 0): JobCounters => ({
  attemptsMade,
  stalledCounter,
  failedReason,
  progress,
});

describe("bullJobId", () => {
  it("escapes colons and percent signs, and marks ids BullMQ would read as integers", () => {
    assert.equal(bullJobId("plan:task-1:2"), "plan%3Atask-1%3A2");
    assert.equal(bullJobId("a%3Ab"), "a%253Ab");
    assert.equal(bullJobId("123"), "%N123");
    assert.equal(bullJobId("-7"), "%N-7");
    assert.equal(bullJobId("12abc"), "12abc");
  });

  it("is one-to-one and always yields an id BullMQ accepts", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "1", ":", "%", "N", "3", "A", "-") }),
        fc.string({ unit: fc.constantFrom("a", "1", ":", "%", "N", "3", "A", "-") }),
        (x, y) => {
          const [bx, by] = [bullJobId(x), bullJobId(y)];
          assert.equal(bx === by, x === y);
          assert.ok(!bx.includes(":"));
          assert.notEqual(`${Number.parseInt(bx, 10)}`, bx);
        },
      ),
    );
  });
});

describe("runState", () => {
  it("numbers the first run 1 with no last error", () => {
    assert.deepEqual(runState(counters(0, 0)), { attempt: 1, lastError: null });
  });

  it("gives the recorded failure after a failed run, and 'interrupted' after a lost one", () => {
    const started = ledgerFor(counters(0, 0), 1, null);
    assert.deepEqual(runState(counters(1, 0, "boom 1", started)), { attempt: 2, lastError: "boom 1" });
    assert.deepEqual(runState(counters(0, 1, undefined, started)), { attempt: 2, lastError: "interrupted" });
  });

  it("tells which came last when a run failed and a later one was lost, or the other way round", () => {
    const second = (made: number, lastError: string) => ledgerFor(counters(made, 1 - made), 2, lastError);
    assert.deepEqual(runState(counters(1, 1, "boom 1", second(1, "boom 1"))), { attempt: 3, lastError: "interrupted" }, "fail, then lost");
    assert.deepEqual(runState(counters(1, 1, "boom 2", second(0, "interrupted"))), { attempt: 3, lastError: "boom 2" }, "lost, then fail");
  });

  it("counts a run lost before it wrote its ledger as interrupted", () => {
    assert.deepEqual(runState(counters(1, 1, "boom 1", ledgerFor(counters(0, 0), 1, null))), { attempt: 3, lastError: "interrupted" });
  });

  it("gives a handed-back run the same attempt and last error again", () => {
    const ledger = ledgerFor(counters(1, 0, "boom 1"), 2, "boom 1");
    assert.deepEqual(runState(counters(1, 0, "boom 1", ledger)), { attempt: 2, lastError: "boom 1" });
  });
});
