import assert from "node:assert/strict";
import { lstat, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { recordedRunner } from "../../src/agent/changes.ts";
import { prepare, runTests, type TestPhaseOptions } from "../../src/agent/test-phase.ts";
import { taskRunner, type CommandRunner } from "../../src/agent/command-runner.ts";
import { RepoConfigSchema } from "../../src/config/repo-config.ts";
import { renderStatus } from "../../src/render/status.ts";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";
import { EnvironmentSnapshots } from "../../src/sandbox/snapshot/index.ts";
import type { Workspace } from "../../src/workspace/port.ts";
import { makeTask, NOW } from "../render/fixtures.ts";
import { addCommits } from "../helpers/git/repo.ts";
import { workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

/**
 * Environment snapshots on the real path: a real task worktree, the real
 * bubblewrap sandbox, the test phase's prepare() as the agent calls it (the
 * task's HOME, the change record). A setup that fills node_modules and a HOME
 * cache runs once; the next task on the same lockfile starts from the snapshot
 * and skips it; a changed lockfile runs it again.
 */

const LOCK_V1 = JSON.stringify({ name: "widget", lockfileVersion: 3, packages: { "node_modules/left-pad": { version: "1.3.0" } } });
const LOCK_V2 = JSON.stringify({ name: "widget", lockfileVersion: 3, packages: { "node_modules/left-pad": { version: "1.3.1" } } });
const commits = [{ files: { "package.json": '{ "name": "widget" }\n', "package-lock.json": LOCK_V1, "src/index.js": "export const a = 1;\n" }, message: "initial" }];

// What `npm ci` does, in miniature: dependencies into node_modules (and a .bin link), a download cache in HOME.
const SETUP =
  "mkdir -p node_modules/left-pad/bin node_modules/.bin ~/.cache/pkg && cp package-lock.json node_modules/left-pad/installed-from && echo 'echo hi' > node_modules/left-pad/bin/cli && ln -s ../left-pad/bin/cli node_modules/.bin/left-pad && echo cached > ~/.cache/pkg/tarball";
const TEST = "cmp package-lock.json node_modules/left-pad/installed-from && [ \"$(cat ~/.cache/pkg/tarball)\" = cached ] && [ -L node_modules/.bin/left-pad ] && echo '1 passed'";

describe("environment snapshots through the real sandbox", () => {
  let fx: WorkspaceFixture;
  let snapshots: EnvironmentSnapshots;
  const real = createSandboxRunner({ mode: "bubblewrap" });
  const purposes: string[] = [];
  const counting: CommandRunner = { run: (cmd, opts) => (purposes.push(opts.purpose ?? "run"), real.run(cmd, opts)) };
  const config = RepoConfigSchema.parse({ setup: SETUP, test: TEST, setup_network: "none" });
  const warnings: string[] = [];

  beforeAll(async () => {
    fx = await workspaceFixture({ sparesPerRepo: 0 }, commits);
    snapshots = new EnvironmentSnapshots({ dataDir: fx.dataDir, maxBytes: 64 * 1024 ** 2, onWarning: (m) => warnings.push(m) });
  });
  afterAll(async () => {
    await snapshots.store.idle();
    await fx.cleanup();
  });

  /** One task's test phase as agent.execute runs it: prepare (setup or a snapshot), then the tests. */
  async function task(id: string, between?: (ws: Workspace) => Promise<void>) {
    const ws = await fx.manager.prepare(fx.request(id));
    const lines: string[] = [];
    const runner = recordedRunner(taskRunner(counting, { home: ws.homeDir, env: {} }), ws.changes);
    const options: TestPhaseOptions = {
      runner,
      timeoutMs: 60_000,
      fixRounds: 0,
      environment: snapshots.forTask({ cloneUrl: fx.url, owner: fx.owner, repo: fx.repo, home: ws.homeDir, changes: ws.changes }),
    };
    const setupsBefore = purposes.filter((p) => p === "setup").length;
    try {
      const note = await prepare(options, ws.dir, config, { activity: (line) => lines.push(line), usage: () => undefined });
      assert.equal(note, null);
      const tests = await runTests(options, ws.dir, config);
      await between?.(ws);
      return { lines, tests, setupRan: purposes.filter((p) => p === "setup").length > setupsBefore };
    } finally {
      await ws.dispose();
    }
  }

  it("the first task runs setup and keeps a snapshot; the next one with the same lockfile starts from it and skips setup", async () => {
    const first = await task("t-env-1");
    assert.equal(first.setupRan, true);
    assert.equal(first.tests.passed, true, first.tests.summary);
    assert.ok(!first.lines.some((l) => /environment reused/.test(l)));
    const root = join(fx.dataDir, "environments");
    assert.equal((await stat(root)).mode & 0o777, 0o700, "the snapshot store is private to the app");
    const keys = (await readdir(root)).filter((n) => /^[0-9a-f]{64}$/.test(n));
    assert.equal(keys.length, 1, `one snapshot: ${(await readdir(root)).join(", ")}`);
    const kept = join(root, keys[0] as string);
    assert.deepEqual((await readdir(join(kept, "work"))).sort(), ["node_modules"], "only the dependency folder setup made, never the checkout's files");
    assert.equal(await readFile(join(kept, "home/.cache/pkg/tarball"), "utf8"), "cached\n");
    assert.ok((await lstat(join(kept, "work/node_modules/.bin/left-pad"))).isSymbolicLink(), "links are kept as links");

    // The second task also scribbles over its copy of node_modules: the snapshot and the third task must not see it.
    const second = await task("t-env-2", async (ws) => {
      const poison = await real.run("echo poisoned > node_modules/left-pad/installed-from && echo poisoned > ~/.cache/pkg/tarball", {
        cwd: ws.dir,
        timeoutMs: 30_000,
        home: ws.homeDir,
      });
      assert.equal(poison.exitCode, 0, poison.output);
    });
    assert.equal(second.setupRan, false, "setup was skipped");
    assert.equal(second.tests.passed, true, second.tests.summary);
    const reused = second.lines.find((l) => /environment reused/.test(l));
    assert.ok(reused, second.lines.join("\n"));
    assert.match(reused, /skipped/);
    const status = renderStatus({ task: makeTask({ state: "working", activity: reused }), now: NOW, links: {}, command: "jules" });
    assert.match(status, /\*\*Activity:\*\* environment reused/);

    const third = await task("t-env-3");
    assert.equal(third.setupRan, false);
    assert.equal(third.tests.passed, true, `a later task never sees what an earlier one wrote into its copy: ${third.tests.summary}`);
    assert.deepEqual(warnings, []);
  });

  it("a changed lockfile is a new key: setup runs again and a second snapshot is kept", async () => {
    await addCommits(fx.server.repoPath("acme", "widget"), [{ files: { "package-lock.json": LOCK_V2 }, message: "bump left-pad" }]);
    const changed = await task("t-env-4");
    assert.equal(changed.setupRan, true);
    assert.ok(!changed.lines.some((l) => /environment reused/.test(l)));
    assert.equal(changed.tests.passed, true, changed.tests.summary);
    const keys = (await readdir(join(fx.dataDir, "environments"))).filter((n) => /^[0-9a-f]{64}$/.test(n));
    assert.equal(keys.length, 2);
    const again = await task("t-env-5");
    assert.equal(again.setupRan, false);
  });

  it("a failed setup keeps no snapshot", async () => {
    await addCommits(fx.server.repoPath("acme", "widget"), [{ files: { "package-lock.json": `${LOCK_V2}\n` }, message: "touch lock" }]);
    const before = await readdir(join(fx.dataDir, "environments"));
    const ws = await fx.manager.prepare(fx.request("t-env-6"));
    try {
      const failing = RepoConfigSchema.parse({ setup: "mkdir -p node_modules/x && exit 3", test: TEST, setup_network: "none", on_setup_failure: "continue" });
      const options: TestPhaseOptions = {
        runner: taskRunner(real, { home: ws.homeDir, env: {} }),
        timeoutMs: 60_000,
        fixRounds: 0,
        environment: snapshots.forTask({ cloneUrl: fx.url, owner: fx.owner, repo: fx.repo, home: ws.homeDir }),
      };
      const note = await prepare(options, ws.dir, failing, { activity: () => undefined, usage: () => undefined });
      assert.match(note ?? "", /failed/);
    } finally {
      await ws.dispose();
    }
    assert.deepEqual((await readdir(join(fx.dataDir, "environments"))).sort(), before.sort());
  });
});
