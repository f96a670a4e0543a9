import assert from "node:assert/strict";
import test from "node:test";
import { parseDuration } from "../lib/duration.js";

test("combined units add up", () => {
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("2m15s"), 135_000);
  assert.equal(parseDuration("1h0m5s"), 3_605_000);
  assert.equal(parseDuration("1d12h"), 129_600_000);
  assert.equal(parseDuration("1s250ms"), 1_250);
});

test("still rejects garbage", () => {
  assert.throws(() => parseDuration("10x"), RangeError);
  assert.throws(() => parseDuration("1h30"), RangeError);
  assert.throws(() => parseDuration("h"), RangeError);
  assert.equal(parseDuration("90s"), 90_000);
});
