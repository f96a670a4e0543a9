import assert from "node:assert/strict";
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, it } from "vitest";
import { EnvironmentSnapshots } from "../../src/sandbox/snapshot/index.ts";
import { filesContaining } from "../helpers/git/workspace-fixture.ts";

/**
 * The snapshot store without a sandbox: the "setup" here is the test writing
 * into a task's working copy and HOME, as a sandboxed command would (the
 * real-sandbox path is environment-snapshot.test.ts). Eviction, crash
 * leftovers, concurrent saves, untrusted links and modes.
 */

const SECRET = "host-only-secret-6d1f0c";
const KEY_DIR = /^[0-9a-f]{64}$/;

describe("environment snapshot store", () => {
  let base: string;
  let dataDir: string;
  let warnings: string[];
  let n = 0;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), "openjules-envstore-"));
    dataDir = join(base, "data");
    await mkdir(dataDir);
    warnings = [];
  });
  const made: EnvironmentSnapshots[] = [];
  afterEach(async () => {
    for (const store of made.splice(0)) await store.store.idle(); // ready copies made in the background
    await rm(base, { recursive: true, force: true });
  });

  const snapshots = (maxBytes: number) => {
    const store = new EnvironmentSnapshots({ dataDir, maxBytes, onWarning: (m) => warnings.push(m) });
    made.push(store);
    return store;
  };
  const root = () => join(dataDir, "environments");
  const keys = async () => (await readdir(root()).catch(() => [] as string[])).filter((name) => KEY_DIR.test(name)).sort();

  /** A fresh task: a checkout with `lock` as its lockfile, an empty HOME. */
  async function checkout(lock: string) {
    const id = `t${++n}`;
    const workdir = join(base, "work", id);
    const home = join(base, "home", id);
    await mkdir(join(workdir, "src"), { recursive: true });
    await mkdir(home, { recursive: true });
    await writeFile(join(workdir, "package-lock.json"), lock);
    await writeFile(join(workdir, "src/index.js"), "export {};\n");
    return { workdir, home, task: { cloneUrl: "https://github.com/acme/widget.git", owner: "acme", repo: "widget", home } };
  }
  const write = async (path: string, text: string | Buffer) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  };

  /** Opens, "runs setup" (writes `bytes` into node_modules and a HOME cache) and saves; returns the session. */
  async function setupAndSave(store: EnvironmentSnapshots, lock: string, bytes = 1000) {
    const t = await checkout(lock);
    const session = await store.forTask(t.task).open(t.workdir, { setup: "npm ci", env: {}, network: true });
    if (!session.reused) {
      await write(join(t.workdir, "node_modules/dep/index.js"), Buffer.alloc(bytes, 1));
      await write(join(t.home, ".npm/_cacache/entry"), "cache");
      await session.save();
    }
    return { ...t, session };
  }

  /** Whether a task with this lockfile would start from a snapshot (opens only: no setup, no save). */
  async function reusable(store: EnvironmentSnapshots, lock: string): Promise<boolean> {
    const t = await checkout(lock);
    return (await store.forTask(t.task).open(t.workdir, { setup: "npm ci", env: {}, network: true })).reused !== null;
  }
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it("evicts the least recently used snapshots beyond the cap; a reused one counts as used", async () => {
    const store = snapshots(7000); // each snapshot below is 1005 bytes (node_modules + HOME), D 605, and counts twice (its ready copy)
    for (const lock of ["A", "B", "C"]) {
      await setupAndSave(store, lock);
      await tick();
    }
    assert.equal((await keys()).length, 3);
    assert.equal(await reusable(store, "A"), true); // A is now the most recently used
    await tick();
    await setupAndSave(store, "D", 600); // 7240 bytes: over the cap by one snapshot
    assert.equal((await keys()).length, 3);
    assert.equal(await reusable(store, "B"), false, "B, the least recently used, was evicted");
    for (const lock of ["A", "C", "D"]) assert.equal(await reusable(store, lock), true, lock);
    assert.deepEqual(warnings, []);
  });

  it("keeps no snapshot bigger than the cap, and says why", async () => {
    const store = snapshots(2000);
    await setupAndSave(store, "big", 5000);
    assert.deepEqual(await keys(), []);
    assert.match(warnings.join("\n"), /No environment snapshot was kept for github\.com\/acme\/widget: more than/);
    assert.deepEqual(
      (await readdir(root())).filter((n) => n.includes(".tmp-")),
      [],
      "the half copy is removed",
    );
  });

  it("never uses a snapshot a crash left half made (a .tmp- directory), and sweeps it away", async () => {
    const store = snapshots(10 * 1024 ** 2);
    await setupAndSave(store, "A");
    await store.store.idle();
    const [key] = await keys();
    assert.ok(key);
    // A crash during the save of A's key after everything but the rename: complete-looking, never used.
    const crashed = join(root(), `${key}.tmp-0b7a2d7e-1f0e-4d47-9a55-4c6c2b9c3a11`);
    await rm(join(root(), key), { recursive: true, force: true }).then(() => undefined);
    await mkdir(join(crashed, "home"), { recursive: true });
    await mkdir(join(crashed, "work/node_modules"), { recursive: true });
    await writeFile(
      join(crashed, "snapshot.json"),
      JSON.stringify({ format: 1, repo: "x", setup: "npm ci", createdMs: 1, lastUsedMs: 1, sizeBytes: 1, work: ["node_modules"], other: [] }),
    );
    const t = await checkout("A");
    const session = await store.forTask(t.task).open(t.workdir, { setup: "npm ci", env: {}, network: true });
    assert.equal(session.reused, null, "a .tmp- directory is never read");
    assert.equal(
      await stat(join(t.workdir, "node_modules")).then(
        () => true,
        () => false,
      ),
      false,
    );
    await store.store.evict();
    assert.deepEqual(await readdir(root()), [], "swept");
  });

  it("two tasks saving the same key at once: one snapshot, whole, and no leftovers", async () => {
    const store = snapshots(10 * 1024 ** 2);
    const [x, y] = [await checkout("same"), await checkout("same")];
    const sessions = await Promise.all([x, y].map((t) => store.forTask(t.task).open(t.workdir, { setup: "npm ci", env: {}, network: true })));
    for (const t of [x, y]) {
      for (let i = 0; i < 50; i++) await write(join(t.workdir, `node_modules/dep${i}/index.js`), `module ${i}`);
      await write(join(t.home, ".cache/c"), "cache");
    }
    await Promise.all(sessions.map((s) => s.save()));
    await store.store.idle();
    const all = await readdir(root());
    assert.deepEqual(
      all.filter((name) => !name.endsWith(".lock")),
      await keys(),
    );
    assert.equal((await keys()).length, 1);
    const z = await checkout("same");
    const reused = await store.forTask(z.task).open(z.workdir, { setup: "npm ci", env: {}, network: true });
    assert.ok(reused.reused?.skipSetup);
    assert.equal((await readdir(join(z.workdir, "node_modules"))).length, 50);
    assert.deepEqual(warnings, []);
  });

  it("copies links as links: a link to a host file never copies the host file, and a linked dependency folder is not kept", async () => {
    const hostFile = join(base, "host-secret.txt");
    await writeFile(hostFile, SECRET);
    await mkdir(join(base, "host-dir"));
    await writeFile(join(base, "host-dir/inside"), SECRET);
    const store = snapshots(10 * 1024 ** 2);
    const t = await checkout("links");
    const session = await store.forTask(t.task).open(t.workdir, { setup: "npm ci", env: {}, network: true });
    await write(join(t.workdir, "node_modules/dep/index.js"), "x");
    await symlink(hostFile, join(t.workdir, "node_modules/dep/leak"));
    await symlink(hostFile, join(t.home, "leak"));
    await symlink(join(base, "host-dir"), join(t.workdir, "vendor")); // named like a dependency folder, but a link
    await write(join(t.home, "tool"), "#!/bin/sh\n");
    await chmod(join(t.home, "tool"), 0o6777); // setuid, setgid, world-writable
    await session.save();
    await store.store.idle();
    const [key] = await keys();
    assert.ok(key, warnings.join("\n"));
    const kept = join(root(), key);
    assert.deepEqual(await filesContaining(kept, SECRET), [], "no copy of a host file");
    assert.equal(await readlink(join(kept, "work/node_modules/dep/leak")), hostFile);
    assert.equal(await readlink(join(kept, "home/leak")), hostFile);
    assert.deepEqual(await readdir(join(kept, "work")), ["node_modules"]);
    const [readyCopy] = await readdir(join(kept, "ready"));
    assert.deepEqual(await filesContaining(join(kept, "ready", readyCopy as string), SECRET), [], "nor in its ready copy");
    assert.equal((await stat(join(kept, "home/tool"))).mode & 0o7777, 0o755, "no setuid/setgid, no group or world write");
    assert.equal((await stat(root())).mode & 0o777, 0o700);
    assert.equal((await stat(kept)).mode & 0o777, 0o700);

    const next = await checkout("links");
    const again = await store.forTask(next.task).open(next.workdir, { setup: "npm ci", env: {}, network: true });
    assert.ok(again.reused?.line.includes("environment reused"));
    assert.match(again.reused?.line ?? "", /runs again, as it also made `vendor`/, "setup made more than dependencies: it runs again");
    assert.equal(again.reused?.skipSetup, false);
    assert.ok((await lstat(join(next.workdir, "node_modules/dep/leak"))).isSymbolicLink());
    assert.deepEqual(await filesContaining(next.workdir, SECRET), []);
    assert.equal(await readFile(hostFile, "utf8"), SECRET);
  });

  it("hands the next task a ready copy by rename, never the snapshot itself, and makes the next ready copy after it", async () => {
    const store = snapshots(10 * 1024 ** 2);
    await setupAndSave(store, "R");
    await store.store.idle();
    const [key] = await keys();
    const dir = join(root(), key as string);
    const inode = async (path: string) => (await stat(path)).ino;
    const master = await inode(join(dir, "work/node_modules/dep/index.js"));
    const [first] = await readdir(join(dir, "ready"));
    const readyInode = await inode(join(dir, "ready", first as string, "work/node_modules/dep/index.js"));
    assert.notEqual(readyInode, master, "a ready copy is a copy");

    const t = await checkout("R");
    const session = await store.forTask(t.task).open(t.workdir, { setup: "npm ci", env: {}, network: true });
    assert.ok(session.reused?.skipSetup);
    assert.equal(await inode(join(t.workdir, "node_modules/dep/index.js")), readyInode, "moved, not copied again");
    assert.equal(await readFile(join(t.home, ".npm/_cacache/entry"), "utf8"), "cache");
    await store.store.idle();
    const [second] = await readdir(join(dir, "ready"));
    assert.ok(second && second !== first, "a new ready copy for the next task");
    const next = await inode(join(dir, "ready", second, "work/node_modules/dep/index.js"));
    assert.ok(![master, readyInode].includes(next));
    // What this task now writes into its copy reaches neither the snapshot nor the next ready copy.
    await writeFile(join(t.workdir, "node_modules/dep/index.js"), "poisoned");
    assert.notEqual(await readFile(join(dir, "work/node_modules/dep/index.js"), "utf8"), "poisoned");
    assert.notEqual(await readFile(join(dir, "ready", second, "work/node_modules/dep/index.js"), "utf8"), "poisoned");
  });

  it("restores nothing through a linked directory of the checkout (the copy would land outside it)", async () => {
    const store = snapshots(10 * 1024 ** 2);
    const first = await checkout("mono");
    await mkdir(join(first.workdir, "packages/a"), { recursive: true });
    const session = await store.forTask(first.task).open(first.workdir, { setup: "npm ci", env: {}, network: true });
    await write(join(first.workdir, "packages/a/node_modules/dep/index.js"), "x");
    await session.save();
    assert.equal((await keys()).length, 1);

    const outside = join(base, "outside");
    await mkdir(outside);
    const hostile = await checkout("mono");
    await mkdir(join(hostile.workdir, "packages"));
    await symlink(outside, join(hostile.workdir, "packages/a"));
    const again = await store.forTask(hostile.task).open(hostile.workdir, { setup: "npm ci", env: {}, network: true });
    assert.equal(again.reused, null);
    assert.deepEqual(await readdir(outside), [], "nothing written outside the working copy");
    assert.deepEqual(await readdir(hostile.home), [], "and nothing left in HOME");
    // The same manifests are the same key: a checkout where packages/a is a directory does start from the snapshot.
    const plain = await checkout("mono");
    await mkdir(join(plain.workdir, "packages/a"), { recursive: true });
    assert.ok((await store.forTask(plain.task).open(plain.workdir, { setup: "npm ci", env: {}, network: true })).reused?.skipSetup);
    assert.equal(await readFile(join(plain.workdir, "packages/a/node_modules/dep/index.js"), "utf8"), "x");
  });
});
