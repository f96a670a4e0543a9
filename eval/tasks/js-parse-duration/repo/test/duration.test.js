import assert from "node:assert/strict";
import test from "node:test";
import { parseOptions } from "../lib/cli.js";
import { parseDuration } from "../lib/duration.js";

test("single units", () => {
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("5m"), 300_000);
  assert.equal(parseDuration("2h"), 7_200_000);
});

test("rejects what is not a duration", () => {
  assert.throws(() => parseDuration("abc"), RangeError);
  assert.throws(() => parseDuration(""), RangeError);
});

test("the CLI's default timeout is ten minutes", () => {
  assert.equal(parseOptions([]).timeoutMs, 600_000);
  assert.equal(parseOptions(["--timeout", "30s"]).timeoutMs, 30_000);
});
