import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { lstat, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { taskRunner } from "../../../src/agent/command-runner.ts";
import { prepare, runTests, SetupFailedError } from "../../../src/agent/test-phase.ts";
import { RepoConfigSchema } from "../../../src/config/repo-config.ts";
import { createSandboxRunner } from "../../../src/sandbox/runner.ts";
import { EnvironmentSnapshots } from "../../../src/sandbox/snapshot/index.ts";
import { tempDir } from "../../helpers/git/workspace-fixture.ts";

/**
 * INTEGRATION (real network): a repository whose `.nvmrc` says 22 while the
 * sandbox's own Node is older; prepare installs Node 22 from the npm
 * registry's `node` package into the task's HOME through setup's egress
 * proxy, and the tests (a script printing `process.version`) run on it; a
 * declared version the registry does not have is an environment problem.
 * The host's own view of the registry decides what is asserted, the case is
 * printed in the diagnostics, nothing is skipped:
 * - the registry answers from this host: Node 22 is installed and runs the tests;
 * - it does not: the install fails, named as an environment problem with its fix.
 */

const PACKAGE_URL = "https://registry.npmjs.org/node";
const run = promisify(execFile);

async function hostReaches(): Promise<string | null> {
  try {
    const response = await fetch(PACKAGE_URL, { signal: AbortSignal.timeout(15_000), headers: { accept: "application/vnd.npm.install-v1+json" } });
    await response.arrayBuffer();
    return response.status === 200 ? null : `HTTP ${response.status}`;
  } catch (error) {
    return (error as Error).message;
  }
}

async function repository(base: string, name: string, nvmrc: string, pkgName = name): Promise<{ dir: string; home: string }> {
  const dir = join(base, name);
  const home = join(base, `${name}-home`);
  await run("git", ["init", "-q", dir]);
  await mkdir(home, { mode: 0o700 });
  await writeFile(join(dir, ".nvmrc"), nvmrc);
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({
      name: pkgName,
      private: true,
      scripts: { test: "node -e \"console.log('ran on ' + process.version); process.exit(process.versions.node.startsWith('22.') ? 0 : 1)\"" },
    }),
  );
  return { dir, home };
}

describe("integration: the Node version a repository declares runs its commands (real network)", { timeout: 300_000 }, () => {
  let base: string;
  const sandbox = createSandboxRunner({ mode: "bubblewrap", setupNetwork: { mode: "public", allowHosts: [] } });
  let unreachable: string | null;
  beforeAll(async () => {
    base = await tempDir("openjules-node-version-");
    unreachable = await hostReaches();
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  const phase = (home: string) => {
    const activity: string[] = [];
    const options = { runner: taskRunner(sandbox, { home, env: {} }), timeoutMs: 240_000, fixRounds: 0 };
    return { activity, options, progress: { activity: (line: string) => void activity.push(line), usage: () => undefined } };
  };

  it(".nvmrc 22: Node 22 is installed into the task's HOME, the tests run on it, and the status and report say so", async ({ annotate }) => {
    const { dir, home } = await repository(base, "nvmrc22", "22\n");
    const { activity, options, progress } = phase(home);
    const config = RepoConfigSchema.parse({ test: "npm test" });
    if (unreachable) {
      await annotate(`CASE unreachable: ${PACKAGE_URL} does not answer from this host (${unreachable}); asserting the install fails as an environment problem`);
      await assert.rejects(prepare(options, dir, config, progress), (error: Error) => error instanceof SetupFailedError && /Node 22 could not be installed/.test(error.message));
      return;
    }
    await annotate(`CASE reachable: ${PACKAGE_URL} answers from this host; asserting Node 22 is installed through the proxy and runs the tests`);
    const sandboxNode = (await sandbox.run("node --version", { cwd: dir, timeoutMs: 30_000 })).output.trim();
    assert.doesNotMatch(sandboxNode, /^v22\./, "the sandbox's own Node must not already be 22 for this test to mean anything");
    assert.equal(await prepare(options, dir, config, progress), null);
    const line = activity.find((l) => l.startsWith("Node "));
    assert.match(line ?? "", /^Node 22\.\d+\.\d+ \(from \.nvmrc: 22; installed into the task's HOME\)$/, activity.join("\n"));
    assert.ok((await lstat(join(home, ".openjules/toolchain/bin"))).isSymbolicLink(), "the toolchain's bin link is in the task's HOME");
    const report = await runTests(options, dir, config);
    assert.equal(report.passed, true, report.summary);
    assert.match(report.summary, /ran on v22\./);
    assert.equal(report.toolchain, line, "the report (PR body, check run) names the Node that ran");
    // The agent's `run` goes through the same task runner: it has Node 22 too.
    const agent = await options.runner.run("node --version", { cwd: dir, timeoutMs: 30_000 });
    assert.match(agent.output, /^v22\./);
  });

  it("a declared Node the registry does not have: an environment problem naming the version and the fix, before the agent starts", async ({ annotate }) => {
    const { dir, home } = await repository(base, "nvmrc99", "99\n");
    const { options, progress } = phase(home);
    await annotate(unreachable ? `CASE unreachable (${unreachable}): the registry cannot be asked` : "CASE reachable: the registry answers that node@99 does not exist");
    const refused = await prepare(options, dir, RepoConfigSchema.parse({ test: "npm test" }), progress).then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(refused instanceof SetupFailedError, String(refused));
    assert.match(refused.message, /^Node 99 could not be installed into the task's environment: /);
    assert.match(refused.message, unreachable ? /could not be reached/ : /the npm registry has no `node` package matching 99/);
    assert.match(refused.message, /The commands run with Node \d+\.\d+\.\d+, the sandbox's own\./);
    assert.match(refused.hint ?? "", unreachable ? /registry\.npmjs\.org/ : /Declare a Node version that exists/);
  });

  it("with on_setup_failure: continue, the agent works on the sandbox's Node, and failing tests are an environment problem, not failing code", async () => {
    const { dir, home } = await repository(base, "nvmrc99c", "99\n");
    const { activity, options, progress } = phase(home);
    const config = RepoConfigSchema.parse({ test: "npm test", on_setup_failure: "continue" });
    const note = await prepare(options, dir, config, progress);
    assert.match(note ?? "", /Node 99 could not be installed/);
    assert.ok(
      activity.some((l) => /^Node 99 could not be installed/.test(l)),
      activity.join("\n"),
    );
    const report = await runTests(options, dir, config);
    assert.equal(report.passed, null, report.summary);
    assert.match(report.environment?.problem ?? "", /Node 99 could not be installed[\s\S]*The tests failed \(exit code 1\)/);
    assert.match(report.summary, /ran on v\d+/);
  });

  it("the installed Node is kept in the environment snapshot of HOME: the next task on the same repository reuses it without installing", async ({ annotate }) => {
    if (unreachable) {
      await annotate(`CASE unreachable (${unreachable}): nothing can be installed, so nothing is kept; asserting the second task fails the same way`);
    } else await annotate("CASE reachable: the first task installs Node 22, the second finds it in the restored HOME");
    const warnings: string[] = [];
    const snapshots = new EnvironmentSnapshots({ dataDir: join(base, "data"), maxBytes: 1024 ** 3, onWarning: (m) => warnings.push(m) });
    const config = RepoConfigSchema.parse({ setup: "node --version", test: "npm test" });
    const task = async (name: string) => {
      const { dir, home } = await repository(base, name, "22\n", "same-repository");
      const { activity, options, progress } = phase(home);
      const commands: string[] = [];
      const runner = { run: (cmd: string, opts: Parameters<typeof options.runner.run>[1]) => (commands.push(cmd), options.runner.run(cmd, opts)) };
      const environment = snapshots.forTask({ cloneUrl: "https://github.example/o/node22.git", owner: "o", repo: "node22", home });
      const outcome = await prepare({ ...options, runner, environment }, dir, config, progress).then(
        () => "ok",
        (error: Error) => error.message,
      );
      return { activity, commands, outcome, report: outcome === "ok" ? await runTests({ ...options, runner }, dir, config) : null };
    };
    const first = await task("snap1");
    const second = await task("snap2");
    if (unreachable) {
      assert.match(first.outcome, /Node 22 could not be installed/);
      assert.match(second.outcome, /Node 22 could not be installed/);
      return;
    }
    assert.equal(first.outcome, "ok");
    assert.ok(
      first.commands.some((c) => c.includes("node@22")),
      "the first task installs Node 22",
    );
    assert.equal(second.outcome, "ok", second.activity.join("\n"));
    assert.ok(
      second.activity.some((l) => l.startsWith("environment reused")),
      `${second.activity.join("\n")}\n${warnings.join("\n")}`,
    );
    assert.ok(!second.commands.some((c) => c.includes("npm install")), `the second task installs nothing:\n${second.commands.join("\n")}`);
    assert.ok(
      second.activity.some((l) => /^Node 22\.\d+\.\d+ \(from \.nvmrc: 22; already in the task's HOME, from the environment snapshot\)$/.test(l)),
      second.activity.join("\n"),
    );
    assert.equal(second.report?.passed, true, second.report?.summary);
    assert.match(second.report?.summary ?? "", /ran on v22\./);
  });
});
