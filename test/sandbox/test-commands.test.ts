import assert from "node:assert/strict";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, it } from "vitest";
import { resolveTestCommands } from "../../src/sandbox/test-commands.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";
import { makeFifo, peakRssMib, releaseFifos } from "../helpers/special-files.ts";
import { within } from "../helpers/within.ts";

const none = { setup: undefined, test: undefined };

describe("sandbox: setup and test command detection", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir("openjules-detect-");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const files = async (entries: Record<string, string>) => {
    for (const [path, content] of Object.entries(entries)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  };
  const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) => JSON.stringify({ name: "x", scripts, ...extra });

  it("jules.yml wins", async () => {
    await files({ "package.json": pkg({ test: "jest" }), "package-lock.json": "{}" });
    assert.deepEqual(await resolveTestCommands(dir, { setup: "make deps", test: "make check" }), {
      setup: "make deps",
      test: "make check",
      source: "config",
      reason: "setup and test commands from .github/jules.yml",
    });
    const onlyTest = await resolveTestCommands(dir, { setup: undefined, test: "npm run unit" });
    assert.deepEqual([onlyTest.setup, onlyTest.test, onlyTest.source], ["npm ci", "npm run unit", "config"]);
    assert.match(onlyTest.reason, /setup detected \(found package-lock\.json/);
  });

  it("npm, pnpm, yarn (classic and berry) and bun by lockfile", async () => {
    await files({ "package.json": pkg({ test: "vitest run" }), "package-lock.json": "{}" });
    assert.deepEqual(await resolveTestCommands(dir, none), {
      setup: "npm ci",
      test: "npm test",
      source: "detected",
      reason: "found package-lock.json and a test script in package.json",
    });
    await rm(join(dir, "package-lock.json"));
    await files({ "pnpm-lock.yaml": "" });
    assert.equal((await resolveTestCommands(dir, none)).setup, "pnpm install --frozen-lockfile");
    await rm(join(dir, "pnpm-lock.yaml"));
    await files({ "yarn.lock": "" });
    assert.deepEqual(Object.values(await resolveTestCommands(dir, none)).slice(0, 2), ["yarn install --frozen-lockfile", "yarn test"]);
    await files({ ".yarnrc.yml": "nodeLinker: node-modules\n" });
    assert.equal((await resolveTestCommands(dir, none)).setup, "yarn install --immutable");
    await rm(join(dir, "yarn.lock"));
    await files({ "bun.lock": "" });
    assert.equal((await resolveTestCommands(dir, none)).test, "bun run test");
  });

  it("ignores npm's placeholder test script and falls through", async () => {
    await files({ "package.json": pkg({ test: 'echo "Error: no test specified" && exit 1' }), Makefile: "all:\n\ttrue\ntest: all\n\t./run-tests\n" });
    assert.deepEqual(await resolveTestCommands(dir, none), { setup: null, test: "make test", source: "detected", reason: "found a test target in Makefile" });
  });

  it("package.json without a lockfile uses the declared package manager", async () => {
    await files({ "package.json": pkg({ test: "node --test" }, { packageManager: "pnpm@9.1.0" }) });
    const result = await resolveTestCommands(dir, none);
    assert.deepEqual([result.setup, result.test], ["corepack pnpm install", "corepack pnpm test"]);
    assert.match(result.reason, /pnpm through corepack, as `packageManager` names it/);
    assert.match(result.reason, /no lockfile; using pnpm/);
  });

  it("pytest from configuration or a tests directory, with a virtualenv in HOME", async () => {
    await files({ "pyproject.toml": "[project]\nname='x'\n\n[tool.pytest.ini_options]\naddopts='-q'\n", "requirements.txt": "requests\n" });
    const configured = await resolveTestCommands(dir, none);
    assert.equal(configured.reason, "found pytest configuration");
    assert.equal(configured.setup, "python3 -m venv ~/.venv && pip install -q --upgrade pip && pip install -q -r requirements.txt -e . pytest");
    assert.equal(configured.test, "python3 -m pytest");
    await rm(join(dir, "pyproject.toml"));
    await rm(join(dir, "requirements.txt"));
    await files({ "tests/test_app.py": "def test_x(): pass\n" });
    assert.equal((await resolveTestCommands(dir, none)).reason, "found Python tests (test_*.py) in a tests directory");
  });

  it("go, cargo, maven and gradle", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ "go.mod": "module x\n" }, "go test ./...", "found go.mod"],
      [{ "Cargo.toml": "[package]\n" }, "cargo test --offline", "found Cargo.toml"],
      [{ "pom.xml": "<project/>" }, "mvn -B -q -o test", "found pom.xml (Maven)"],
      [{ gradlew: "#!/bin/sh\n", "build.gradle": "" }, "./gradlew --no-daemon --offline test", "found the Gradle wrapper (gradlew)"],
      [{ "build.gradle.kts": "" }, "gradle --no-daemon --offline test", "found build.gradle (Gradle)"],
    ];
    for (const [entries, test, reason] of cases) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
      await files(entries);
      const result = await resolveTestCommands(dir, none);
      assert.deepEqual([result.test, result.reason, result.source], [test, reason, "detected"]);
    }
  });

  it("says plainly when no test command is found", async () => {
    await files({ "README.md": "hi", Makefile: "build:\n\ttrue\n" });
    const result = await resolveTestCommands(dir, none);
    assert.equal(result.test, null);
    assert.match(result.reason, /^nothing in the repository names one: no test command in its CI workflows, no package\.json test script, deno\.json/);
  });
});

describe("sandbox: test command detection with special files (FIFOs, links to /dev/zero)", () => {
  let dir: string;
  const fifos: string[] = [];
  beforeEach(async () => {
    dir = await tempDir("openjules-detect-special-");
  });
  afterEach(async () => {
    await releaseFifos(fifos.splice(0));
    await rm(dir, { recursive: true, force: true });
  });
  const fifo = async (name: string) => {
    await makeFifo(join(dir, name));
    fifos.push(join(dir, name));
  };

  it("a FIFO package.json is skipped promptly and detection goes on", async () => {
    await fifo("package.json");
    await writeFile(join(dir, "go.mod"), "module x\n");
    const result = await within(3_000, resolveTestCommands(dir, none), "resolveTestCommands with a FIFO package.json");
    assert.deepEqual([result.test, result.reason], ["go test ./...", "found go.mod"]);
  });

  it("FIFOs and /dev/zero links for every file detection reads settle promptly, with flat memory", async () => {
    for (const name of ["pyproject.toml", "setup.cfg", "tox.ini", "Makefile"]) await fifo(name);
    await symlink("/dev/zero", join(dir, "package.json"));
    await symlink("/dev/zero", join(dir, "makefile"));
    await writeFile(join(dir, "GNUmakefile"), "test:\n\ttrue\n");
    const peak = peakRssMib();
    const result = await within(3_000, resolveTestCommands(dir, none), "resolveTestCommands with special files");
    assert.deepEqual([result.test, result.reason], ["make test", "found a test target in GNUmakefile"]);
    assert.ok(peakRssMib() - peak < 200, `memory grew by ${Math.round(peakRssMib() - peak)} MiB`);
  });
});
