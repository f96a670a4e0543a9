import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";
import { resolveTestCommands } from "../../src/sandbox/test-commands.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

/** Detected commands run green in the real sandbox (bubblewrap), with the task's HOME kept from setup to tests. */
describe("sandbox: detected commands run in the real sandbox", { timeout: 120_000 }, () => {
  let base: string;
  let ws: string;
  let home: string;
  const runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 2 * 1024 ** 3, processes: 128 } });
  const files = async (entries: Record<string, string>) => {
    for (const [path, content] of Object.entries(entries)) {
      await mkdir(dirname(join(ws, path)), { recursive: true });
      await writeFile(join(ws, path), content);
    }
  };
  const run = (command: string) => runner.run(command, { cwd: ws, timeoutMs: 60_000, home });

  beforeAll(async () => {
    base = await tempDir("openjules-detect-sbx-");
    ws = join(base, "work");
    home = join(base, "home");
    execFileSync("git", ["init", "-q", ws]);
    await mkdir(home);
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it("a polyglot repository whose CI runs `make check`: npm ci, then make check, both green offline", async () => {
    await files({
      "package.json": JSON.stringify({ name: "poly", version: "1.0.0", scripts: { test: "node -e 'process.exit(3)'" } }),
      "package-lock.json": JSON.stringify({ name: "poly", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "poly", version: "1.0.0" } } }),
      Makefile: "check:\n\t@test -d node_modules || test -f package-lock.json\n\t@node -e 'console.log(\"2 + 2 =\", 2 + 2)'\n\t@echo all checks passed\n",
      ".github/workflows/ci.yml":
        "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: make check\n",
    });
    const commands = await resolveTestCommands(ws, { setup: undefined, test: undefined });
    assert.deepEqual([commands.setup, commands.test], ["npm ci", "make check"]);
    assert.match(commands.reason, /^from \.github\/workflows\/ci\.yml, job test; setup `npm ci`/);
    const setup = await run(commands.setup!);
    assert.equal(setup.exitCode, 0, setup.output);
    const test = await run(commands.test!);
    assert.equal(test.exitCode, 0, test.output);
    assert.match(test.output, /2 \+ 2 = 4\nall checks passed/);
  });

  it("a virtualenv made in HOME by setup is what later commands' python3 and pip are (~/.venv/bin first on PATH)", async () => {
    const made = await run("python3 -m venv --without-pip ~/.venv");
    assert.equal(made.exitCode, 0, made.output);
    const seen = await run("python3 -c 'import sys; print(sys.prefix)'");
    assert.equal(seen.exitCode, 0, seen.output);
    assert.equal(seen.output.trim(), "/home/sandbox/.venv");
  });
});
