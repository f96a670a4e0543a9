import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { detectCgroups, parseSelfCgroup, type CgroupHost } from "../../src/sandbox/cgroup.ts";
import { SandboxQuotaError } from "../../src/sandbox/disk-quota.ts";
import { createSandboxRunner, type SandboxRunner } from "../../src/sandbox/runner.ts";
import { userFacingFailure } from "../../src/tasks/user-facing.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

const MiB = 1024 ** 2;
const MEMORY = 256 * MiB;
/** Not silent: the detection test below fails when this host delegates a cgroup that detection misses. */
/** Skipped only where this host delegates no memory cgroup (the detection test says why). */
const NO_CGROUP = (await detectCgroups()).version === 0;

/** Can this process create a child of its own v1 memory cgroup? (Checked independently of cgroup.ts.) */
async function v1MemoryDelegated(): Promise<boolean> {
  const path = parseSelfCgroup(await readFile("/proc/self/cgroup", "utf8"))
    .v1.get("memory")
    ?.split("\u0000")[1];
  if (path === undefined) return false;
  const dir = join("/sys/fs/cgroup/memory", path, `openjules-test-${randomUUID()}`);
  return mkdir(dir).then(
    () => rmdir(dir).then(() => true),
    () => false,
  );
}

/** Highest Shmem (tmpfs pages, host-wide) seen while `work` runs, minus the value before. */
async function shmemGrowth<T>(work: () => Promise<T>): Promise<{ value: T; growth: number }> {
  const shmem = async () => Number(/^Shmem:\s+(\d+) kB$/m.exec(await readFile("/proc/meminfo", "utf8"))?.[1] ?? 0) * 1024;
  const start = await shmem();
  let peak = start;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, await shmem());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    return { value: await work(), growth: peak - start };
  } finally {
    running = false;
    await sampler;
  }
}

describe("sandbox: a command's memory is bounded by its cgroup (real bwrap)", () => {
  let base: string;
  let ws: string;
  let host: CgroupHost;
  let runner: SandboxRunner;

  beforeAll(async () => {
    base = await tempDir("openjules-limits-");
    ws = join(base, "work", "task");
    await mkdir(ws, { recursive: true });
    await writeFile(join(ws, ".git"), "gitdir: /nowhere\n");
    host = await detectCgroups();
    // /tmp and /dev/shm are 1 GiB tmpfs each: only the cgroup keeps them within the command's memory.
    runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: MEMORY, processes: 64, tmpfsBytes: 1024 * MiB } });
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it("detection says whether this host delegates a memory cgroup, and why not", async () => {
    const delegated = await v1MemoryDelegated();
    if (delegated) assert.equal(host.version, 1, JSON.stringify(host));
    if (host.version === 0) assert.match(host.reason, /cgroup/);
    else assert.ok(host.version === 1 ? host.memory.startsWith("/sys/fs/cgroup/memory") : host.parent.startsWith("/sys/fs/cgroup"));
  });

  for (const dir of ["/dev/shm", "/tmp"]) {
    it(`a command filling ${dir} past the memory limit is stopped, and host memory stays within the bound`, { skip: NO_CGROUP }, async () => {
      const { value: result, growth } = await shmemGrowth(() =>
        runner.run(`dd if=/dev/zero of=${dir}/fill bs=1M count=700 2>/dev/null; echo "dd=$?"`, { cwd: ws, timeoutMs: 60_000 }),
      );
      assert.ok(growth < MEMORY + 64 * MiB, `tmpfs grew by ${Math.round(growth / MiB)} MiB, over the ${MEMORY / MiB} MiB limit`);
      assert.equal(result.killedBy, "memory", result.output);
      assert.match(result.output, /memory limit of 256 MiB/);
      assert.doesNotMatch(result.output, /dd=0/);
    });
  }

  it("processes that together allocate past the limit (each under its own rlimit) are killed, and the result says it was memory", { skip: NO_CGROUP }, async () => {
    const hog = `perl -e '$x = "a" x (100 * 1024 * 1024); sleep 3'`;
    const result = await runner.run(`for i in 1 2 3 4 5; do ${hog} & done; wait; echo all-done`, { cwd: ws, timeoutMs: 60_000 });
    assert.equal(result.killedBy, "memory", result.output);
    assert.match(result.output, /went over its memory limit/);
  });

  it("a modest command in the cgroup runs normally and leaves no cgroup behind", { skip: NO_CGROUP }, async () => {
    const result = await runner.run(`perl -e '$x = "a" x (50 * 1024 * 1024); print "ok\\n"'`, { cwd: ws, timeoutMs: 60_000 });
    assert.equal(result.exitCode, 0, result.output);
    assert.equal(result.killedBy, undefined);
    assert.equal(result.output.trim(), "ok");
    if (host.version === 1) {
      const { readdir } = await import("node:fs/promises");
      const left = (await readdir(host.memory)).filter((name) => /^openjules-[0-9a-f-]{36}$/.test(name));
      assert.deepEqual(left, []);
    }
  });
});

describe("sandbox: the per-task disk quota (real bwrap)", () => {
  let base: string;
  let ws: string;
  let home: string;
  let runner: SandboxRunner;

  beforeAll(async () => {
    base = await tempDir("openjules-quota-");
    ws = join(base, "work", "task");
    home = join(base, "home", "task");
    await mkdir(ws, { recursive: true });
    await mkdir(home, { recursive: true });
    await writeFile(join(ws, ".git"), "gitdir: /nowhere\n");
    runner = createSandboxRunner({ mode: "bubblewrap", limits: { processes: 64 }, diskQuotaBytes: 64 * MiB, diskPollMs: 300 });
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  for (const [where, path] of [
    ["the working copy", "big"],
    ["HOME", "$HOME/big"],
  ] as const) {
    it(`a command writing more than the quota into ${where} fails the task with the quota message`, async () => {
      const run = runner.run(`dd if=/dev/zero of=${path} bs=1M count=100 2>/dev/null; echo written`, { cwd: ws, home, timeoutMs: 60_000 });
      const error = await run.then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(error instanceof SandboxQuotaError, `expected a quota error, got ${String(error)}`);
      assert.match(error.message, /per-task disk quota of 0\.06 GiB/);
      const failure = userFacingFailure(error, "running the tests");
      assert.ok(failure, "the task fails at once (no retry)");
      assert.match(failure.reason, /disk quota/);
      assert.match(failure.hint ?? "", /JULES_TASK_DISK_MB/);
      await rm(join(ws, "big"), { force: true });
      await rm(join(home, "big"), { force: true });
    });
  }

  it("a command that keeps running after filling the disk is stopped by the watch, long before its time limit", async () => {
    const started = Date.now();
    const error = await runner.run("dd if=/dev/zero of=big bs=1M count=100 2>/dev/null; sleep 60", { cwd: ws, home, timeoutMs: 90_000 }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof SandboxQuotaError);
    assert.ok(Date.now() - started < 20_000, `stopped after ${Date.now() - started} ms`);
    await rm(join(ws, "big"), { force: true });
  });

  it("a command within the quota runs as usual", async () => {
    const result = await runner.run("dd if=/dev/zero of=small bs=1M count=10 2>/dev/null; echo fine", { cwd: ws, home, timeoutMs: 60_000 });
    assert.equal(result.output.trim(), "fine");
  });
});
