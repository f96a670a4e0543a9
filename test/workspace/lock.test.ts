import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, it } from "vitest";
import { WorkspaceError } from "../../src/workspace/errors.ts";
import { withFileLock } from "../../src/workspace/lock.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

describe("workspace: repository lock", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir("openjules-lock-");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("serialises holders of the same lock and removes the file afterwards", async () => {
    const path = join(dir, "a.lock");
    let inside = 0;
    let maxInside = 0;
    const work = async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await sleep(20);
      inside--;
    };
    await Promise.all(Array.from({ length: 5 }, () => withFileLock(path, work, { retryMs: 5 })));
    assert.equal(maxInside, 1);
    await assert.rejects(stat(path), { code: "ENOENT" });
  });

  it("waits for a lock held by another live process, and times out with a clear error", async () => {
    const path = join(dir, "b.lock");
    const holder = spawn("sleep", ["60"], { stdio: "ignore" });
    try {
      await writeFile(path, JSON.stringify({ pid: holder.pid, host: hostname(), id: "other" }));
      const error = await withFileLock(path, async () => "got it", { timeoutMs: 300, retryMs: 20 }).catch((e: unknown) => e);
      assert.ok(error instanceof WorkspaceError && error.code === "lock_timeout", String(error));
    } finally {
      holder.kill("SIGKILL");
      await rm(path, { force: true });
    }
  });

  it("breaks a lock whose owner died", async () => {
    const path = join(dir, "c.lock");
    const dead = spawn("true", { stdio: "ignore" });
    await new Promise((resolve) => dead.on("exit", resolve));
    await writeFile(path, JSON.stringify({ pid: dead.pid, host: hostname(), id: "dead" }));
    assert.equal(await withFileLock(path, async () => "got it", { timeoutMs: 5000, retryMs: 20 }), "got it");
  });

  it("breaks a lock not refreshed for staleMs (owner on another host)", async () => {
    const path = join(dir, "d.lock");
    await writeFile(path, JSON.stringify({ pid: 1, host: "elsewhere", id: "remote" }));
    await sleep(120);
    assert.equal(await withFileLock(path, async () => "got it", { timeoutMs: 5000, staleMs: 100, retryMs: 20 }), "got it");
  });
});
