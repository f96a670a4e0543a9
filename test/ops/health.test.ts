import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { checkReadiness, formatBytes } from "../../src/ops/health.ts";
import { opsFixture, type OpsFixture } from "../helpers/ops-fixtures.ts";

describe("checkReadiness", () => {
  let fx: OpsFixture;
  beforeAll(async () => {
    fx = await opsFixture();
  });
  afterAll(() => fx.close());

  it("passes with a real store, queue and data directory, and leaves no probe file behind", async () => {
    const report = await checkReadiness({ store: fx.store, queue: fx.queue, dataDir: fx.dataDir, minFreeBytes: 1 });
    assert.equal(report.ready, true);
    assert.match(report.checks.find((c) => c.name === "disk")!.detail!, /free$/);
    assert.deepEqual(
      (await readdir(fx.dataDir)).filter((f) => f.startsWith(".ready-")),
      [],
    );
  });

  it("fails the disk check when free space is below the threshold", async () => {
    const report = await checkReadiness({ store: fx.store, queue: fx.queue, dataDir: fx.dataDir, minFreeBytes: Number.MAX_SAFE_INTEGER });
    assert.equal(report.ready, false);
    const disk = report.checks.find((c) => c.name === "disk")!;
    assert.equal(disk.ok, false);
    assert.match(disk.error!, /free in .*, below the .* minimum/);
  });

  it("fails the disk check when the data directory cannot be written", async () => {
    const report = await checkReadiness({ store: fx.store, queue: fx.queue, dataDir: join(fx.dataDir, "missing", "dir"), minFreeBytes: 1 });
    const disk = report.checks.find((c) => c.name === "disk")!;
    assert.equal(disk.ok, false);
    assert.match(disk.error!, /ENOENT/);
  });

  it("gives each check a timeout, so a hanging dependency makes the process not ready instead of hanging the probe", async () => {
    const hanging = { list: () => new Promise<never>(() => undefined) };
    const report = await checkReadiness({ store: hanging, queue: fx.queue, dataDir: fx.dataDir, minFreeBytes: 1, timeoutMs: 50 });
    assert.equal(report.ready, false);
    const database = report.checks.find((c) => c.name === "database")!;
    assert.deepEqual([database.ok, database.error], [false, "no answer within 50 ms"]);
    assert.equal(report.checks.find((c) => c.name === "queue")!.ok, true);
  });

  it("formats byte counts for people", () => {
    assert.deepEqual([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 ** 3)], ["512 B", "1.5 KiB", "5.0 GiB"]);
  });
});
