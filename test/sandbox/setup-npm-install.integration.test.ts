import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { prepare, runTests } from "../../src/agent/test-phase.ts";
import { taskRunner } from "../../src/agent/command-runner.ts";
import { RepoConfigSchema } from "../../src/config/repo-config.ts";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

/**
 * INTEGRATION (real network): a real `npm install` of a tiny package with no
 * dependencies (is-number@7.0.0) from setup, through the egress proxy, with
 * jules.yml's defaults (setup_network: public), into the task's worktree and
 * HOME; the test phase then finds node_modules and npm's cache in HOME. The
 * host's own view of the registry decides what is asserted, the case is
 * printed in the diagnostics, nothing is skipped:
 * - the registry answers from this host: setup installs, the tests pass;
 * - it does not: setup fails and says so, and the tests do not see the package.
 */

const PACKAGE_URL = "https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz";
const run = promisify(execFile);

async function hostReaches(): Promise<string | null> {
  try {
    const response = await fetch(PACKAGE_URL, { signal: AbortSignal.timeout(15_000) });
    await response.arrayBuffer();
    return response.status === 200 ? null : `HTTP ${response.status}`;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("integration: setup's npm install reaches the registry and the tests see what it installed (real network)", { timeout: 300_000 }, () => {
  let base: string;
  let dir: string;
  let home: string;
  beforeAll(async () => {
    base = await tempDir("openjules-npm-");
    dir = join(base, "work");
    home = join(base, "home");
    await run("git", ["init", "-q", dir]);
    await run("mkdir", ["-m", "700", home]);
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({ name: "fixture", version: "1.0.0", private: true, dependencies: { "is-number": "7.0.0" }, scripts: { test: "node check.js" } }, null, 2),
    );
    await writeFile(join(dir, "check.js"), 'const isNumber = require("is-number");\nif (!isNumber(5)) process.exit(1);\nconsole.log("1 passed, 0 failed");\n');
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it("npm install in setup (default network), node_modules and ~/.npm there for the tests", async ({ annotate }) => {
    const runner = taskRunner(createSandboxRunner({ mode: "bubblewrap", setupNetwork: { mode: "public", allowHosts: [] } }), { home, env: {} });
    const options = { runner, timeoutMs: 240_000, fixRounds: 0 };
    const config = RepoConfigSchema.parse({ setup: "npm install --no-audit --no-fund", test: "npm test && ls ~/.npm/_cacache >/dev/null && echo cache-in-home" });
    const progress = { activity: () => undefined, usage: () => undefined };
    const unreachable = await hostReaches();
    const note = await prepare(options, dir, config, progress);
    const report = await runTests(options, dir, config);
    if (unreachable) {
      await annotate(`CASE unreachable: ${PACKAGE_URL} does not answer from this host (${unreachable}); asserting setup fails and the tests lack the package`);
      assert.match(note ?? "", /failed/);
      assert.equal(report.passed, false);
      return;
    }
    await annotate(`CASE reachable: ${PACKAGE_URL} answers from this host; asserting setup installs it through the proxy and the tests use it`);
    assert.equal(note, null, note ?? "");
    assert.ok(
      await stat(join(dir, "node_modules/is-number/package.json")).then(
        () => true,
        () => false,
      ),
      "node_modules in the worktree",
    );
    assert.match(await readFile(join(dir, "package-lock.json"), "utf8"), /is-number-7\.0\.0\.tgz/);
    assert.ok(
      await stat(join(home, ".npm/_cacache")).then(
        () => true,
        () => false,
      ),
      "npm's cache in the task's HOME",
    );
    assert.equal(report.passed, true, report.summary);
    assert.match(report.summary, /1 passed[\s\S]*cache-in-home/);
  });
});
