/**
 * The retry delay: exponential per attempt, capped, with half of it jittered.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { backoffDelay } from "../../src/queue/embedded/backoff.ts";

describe("backoffDelay", () => {
  const low = () => 0;
  const high = () => 0.999999;

  it("doubles per attempt, between half and all of the step", () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((a) => backoffDelay(a, 1_000, 60_000, low)),
      [500, 1_000, 2_000, 4_000],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((a) => backoffDelay(a, 1_000, 60_000, high)),
      [1_000, 2_000, 4_000, 8_000],
    );
  });

  it("never exceeds the cap, even for huge attempt numbers", () => {
    assert.equal(backoffDelay(10, 1_000, 30_000, high), 30_000);
    assert.equal(backoffDelay(1_000, 1_000, 30_000, high), 30_000);
    assert.equal(backoffDelay(1_000, 1_000, 30_000, low), 15_000);
  });

  it("is zero when backoff is off, and treats attempt 0 as the first", () => {
    assert.equal(backoffDelay(3, 0, 30_000, high), 0);
    assert.equal(backoffDelay(0, 1_000, 30_000, low), 500);
  });

  it("spreads jobs that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, 1_000, 60_000)));
    assert.ok(delays.size > 10);
    for (const d of delays) assert.ok(d >= 2_000 && d <= 4_000, `${d} within [2000, 4000]`);
  });
});
