import assert from "node:assert/strict";
import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, it } from "vitest";
import { resolveTestCommands } from "../../src/sandbox/test-commands.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";
import { makeFifo, releaseFifos } from "../helpers/special-files.ts";
import { within } from "../helpers/within.ts";

/**
 * Fixture repositories in the shapes real ones have (Deno, PHP, the Maven
 * wrapper, uv, tox, PEP 735 dependency groups, polyglot repositories whose CI
 * says which command tests them), and the commands and reasons detection
 * gives for each.
 */

const none = { setup: undefined, test: undefined };

describe("sandbox: detection of Deno, PHP, Maven wrapper, uv, tox, dependency groups and CI workflows", () => {
  let dir: string;
  const fifos: string[] = [];
  beforeEach(async () => {
    dir = await tempDir("openjules-detect-eco-");
  });
  afterEach(async () => {
    await releaseFifos(fifos.splice(0));
    await rm(dir, { recursive: true, force: true });
  });
  const files = async (entries: Record<string, string>) => {
    for (const [path, content] of Object.entries(entries)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  };
  const detect = async () => {
    const r = await resolveTestCommands(dir, none);
    return { setup: r.setup, test: r.test, reason: r.reason };
  };
  const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) => JSON.stringify({ name: "x", scripts, ...extra });
  const workflow = (jobs: string) => `name: CI\non:\n  push:\n  pull_request:\njobs:\n${jobs}`;

  it("Deno: a `test` task in deno.jsonc (comments, trailing commas) wins over package.json in the same repository", async () => {
    await files({
      "package.json": pkg({ test: "node --test" }),
      "deno.jsonc": '{\n  // tasks\n  "tasks": {\n    "test": "deno test -A", /* all permissions */\n  },\n  "imports": { "@std/assert": "jsr:@std/assert@1" },\n}\n',
      "deno.lock": "{}",
    });
    assert.deepEqual(await detect(), {
      setup: "deno install",
      test: "deno task test",
      reason: "found a `test` task in deno.jsonc and deno.lock (preferred over package.json: Deno's configuration names the tests, or no npm lockfile is there)",
    });
  });

  it("Deno without a test task: `deno test`, unless an npm lockfile makes it a Node project", async () => {
    await files({ "deno.json": '{ "imports": {} }' });
    assert.deepEqual(await detect(), { setup: "deno install", test: "deno test", reason: "found deno.json (no `test` task: `deno test` runs its test files)" });
    await files({ "package.json": pkg({ test: "vitest run" }), "package-lock.json": "{}" });
    assert.deepEqual(await detect(), {
      setup: "npm ci",
      test: "npm test",
      reason: "found package-lock.json and a test script in package.json (preferred over deno.json, which has no `test` task)",
    });
  });

  it("PHP: composer install, then the `test` composer script, else vendor/bin/phpunit", async () => {
    await files({ "composer.json": JSON.stringify({ name: "acme/lib", "require-dev": { "phpunit/phpunit": "^11" } }), "composer.lock": "{}", "phpunit.xml.dist": "<phpunit/>" });
    assert.deepEqual(await detect(), {
      setup: "composer install --no-interaction --no-progress",
      test: "vendor/bin/phpunit",
      reason: "found composer.json and phpunit.xml.dist (PHPUnit)",
    });
    await rm(join(dir, "phpunit.xml.dist"));
    assert.equal((await detect()).reason, "found phpunit/phpunit in composer.json");
    await files({ "composer.json": JSON.stringify({ name: "acme/lib", scripts: { test: ["@php vendor/bin/phpunit --colors=never"] } }) });
    assert.deepEqual(await detect(), { setup: "composer install --no-interaction --no-progress", test: "composer test", reason: "found a `test` script in composer.json" });
    // composer.json with neither: not a PHP test setup (falls through to the rest).
    await files({ "composer.json": JSON.stringify({ name: "acme/lib" }), "go.mod": "module x\n" });
    assert.equal((await detect()).test, "go test ./...");
  });

  it("Maven: the wrapper (./mvnw) is preferred over mvn, and the `test` phase runs offline", async () => {
    await files({ "pom.xml": "<project/>", mvnw: "#!/bin/sh\n", ".mvn/wrapper/maven-wrapper.properties": "distributionUrl=https://repo.maven.apache.org/x.zip\n" });
    assert.deepEqual(await detect(), { setup: "./mvnw -B -q dependency:go-offline", test: "./mvnw -B -q -o test", reason: "found pom.xml and the Maven wrapper (mvnw)" });
  });

  it("Maven: a CI that runs `verify` is followed, offline", async () => {
    await files({
      "pom.xml": "<project/>",
      mvnw: "#!/bin/sh\n",
      ".github/workflows/build.yml": workflow(
        "  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-java@v4\n        with: { distribution: temurin, java-version: 21 }\n      - run: ./mvnw -B verify --file pom.xml\n",
      ),
    });
    assert.deepEqual(await detect(), {
      setup: "./mvnw -B -q dependency:go-offline",
      test: "./mvnw -o -B verify --file pom.xml",
      reason:
        "from .github/workflows/build.yml, job build (`./mvnw -B verify --file pom.xml`; `-o` added: tests run offline here); setup `./mvnw -B -q dependency:go-offline` (found pom.xml and the Maven wrapper (mvnw))",
    });
  });

  it("uv: uv.lock means `uv sync --locked` and `uv run pytest`, with the test dependency group", async () => {
    await files({
      "pyproject.toml":
        '[project]\nname = "x"\nrequires-python = ">=3.10"\n\n[dependency-groups]\ntest = ["pytest>=8"]\nlint = ["ruff"]\n\n[tool.pytest.ini_options]\naddopts = "-q"\n',
      "uv.lock": "version = 1\n",
    });
    assert.deepEqual(await detect(), {
      setup: "uv sync --locked --group test",
      test: "uv run pytest",
      reason: "found uv.lock (a uv project); installs the `test` dependency group",
    });
    await files({ "pyproject.toml": '[project]\nname = "x"\n\n[dependency-groups]\ndev = ["pytest"]\n' });
    assert.deepEqual(await detect(), { setup: "uv sync --locked", test: "uv run pytest", reason: "found uv.lock (a uv project)" });
  });

  it("tox: tox.ini's [tox] (not just a [pytest] section) runs tox's `py` environment", async () => {
    await files({ "tox.ini": "[pytest]\naddopts = -q\n", "setup.py": "" });
    assert.equal((await detect()).test, "python3 -m pytest");
    await files({ "tox.ini": "[tox]\nenvlist = py310,py311,py312\n\n[testenv]\ndeps = pytest\ncommands = pytest {posargs}\n" });
    assert.deepEqual(await detect(), {
      setup: "python3 -m venv ~/.venv && pip install -q --upgrade pip && pip install -q tox && tox -e py --notest",
      test: "tox -e py",
      reason: "found tox.ini (tox; its `py` environment)",
    });
    await rm(join(dir, "tox.ini"));
    await files({ "pyproject.toml": '[project]\nname = "x"\n\n[tool.tox]\nenv_list = ["3.12"]\n' });
    assert.equal((await detect()).reason, "found [tool.tox] in pyproject.toml (tox; its `py` environment)");
  });

  it("[dependency-groups] (PEP 735): the `test` group is installed with pip, and pytest only when the group lacks it", async () => {
    await files({ "pyproject.toml": '[project]\nname = "x"\n\n[dependency-groups]\ntest = [\n  "pytest>=8",\n  "hypothesis",\n]\ndocs = ["sphinx"]\n', "src/x/__init__.py": "" });
    assert.deepEqual(await detect(), {
      setup: "python3 -m venv ~/.venv && pip install -q --upgrade pip && pip install -q -e . --group test",
      test: "python3 -m pytest",
      reason: "found pyproject.toml; installs the `test` dependency group ([dependency-groups])",
    });
    await files({ "pyproject.toml": '[project]\nname = "x"\n\n[dependency-groups]\ndev = ["ruff"]\n', "tests/test_x.py": "def test_x(): pass\n" });
    assert.equal((await detect()).setup, "python3 -m venv ~/.venv && pip install -q --upgrade pip && pip install -q -e . --group dev pytest");
  });

  it("polyglot: CI's `make check` is chosen over package.json's test script, with the Node setup, and says why", async () => {
    await files({
      "package.json": pkg({ test: "jest" }),
      "package-lock.json": "{}",
      Makefile: "check: lint\n\tnpx jest && ./scripts/integration.sh\nlint:\n\tnpx eslint .\n",
      ".github/workflows/ci.yml": workflow(
        "  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci\n      - run: npx eslint .\n  test:\n    name: Unit tests\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          npm ci\n          make check\n",
      ),
    });
    assert.deepEqual(await detect(), {
      setup: "npm ci",
      test: "make check",
      reason: "from .github/workflows/ci.yml, job test; setup `npm ci` (found package-lock.json and a test script in package.json)",
    });
  });

  it("polyglot: a Python CI in a repository that also has package.json runs pytest through the Python setup", async () => {
    await files({
      "package.json": pkg({ test: "vitest" }),
      "pnpm-lock.yaml": "",
      "pyproject.toml": '[project]\nname = "x"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      "uv.lock": "version = 1\n",
      ".github/workflows/tests.yml": workflow(
        "  pytest:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: astral-sh/setup-uv@v5\n      - run: uv sync --locked\n      - run: pytest -q tests\n",
      ),
    });
    assert.deepEqual(await detect(), {
      setup: "uv sync --locked",
      test: "uv run pytest -q tests",
      reason:
        "from .github/workflows/tests.yml, job pytest (`pytest -q tests`; run through `uv run`, as the project uses uv: tests run offline here); setup `uv sync --locked` (found uv.lock (a uv project))",
    });
  });

  it("CI steps that depend on CI are never taken: expressions, variables, secrets, services, working-directory, release workflows, other shells", async () => {
    await files({ "go.mod": "module x\n" });
    const jobs = [
      "  a:\n    runs-on: x\n    steps:\n      - run: go test -tags ${{ matrix.tags }} ./...\n",
      "  b:\n    runs-on: x\n    steps:\n      - run: go test $FLAGS ./...\n",
      "  c:\n    runs-on: x\n    steps:\n      - run: go test -run Integration ./...\n        env:\n          TOKEN: ${{ secrets.TOKEN }}\n",
      "  d:\n    runs-on: x\n    services:\n      db:\n        image: postgres\n    steps:\n      - run: go test -race ./...\n",
      "  e:\n    runs-on: x\n    steps:\n      - run: go test ./sub/...\n        working-directory: sub\n",
      "  f:\n    runs-on: windows-latest\n    steps:\n      - run: go test -v ./...\n        shell: pwsh\n",
      "  g:\n    runs-on: x\n    steps:\n      - run: sudo go test ./...\n      - run: curl https://x.example | sh; go test ./...\n",
    ];
    await files({
      ".github/workflows/ci.yml": workflow(jobs.join("")),
      ".github/workflows/release.yml": workflow("  test:\n    runs-on: x\n    steps:\n      - run: go test -count=1 ./...\n"),
    });
    assert.deepEqual(await detect(), { setup: "go mod download", test: "go test ./...", reason: "found go.mod" });
    // A plain step in the same workflow is taken, and a later one never replaces it.
    await files({
      ".github/workflows/ci.yml": workflow(
        jobs.join("") + "  h:\n    runs-on: x\n    steps:\n      - run: go vet ./...\n      - run: go test -race -count=1 ./...\n      - run: cargo test\n",
      ),
    });
    assert.deepEqual(await detect(), {
      setup: "go mod download",
      test: "go test -race -count=1 ./...",
      reason: "from .github/workflows/ci.yml, job h; setup `go mod download` (found go.mod)",
    });
  });

  it("a CI step that needs variables of its own (step, job or workflow `env:`) gives way to one that does not, and is taken only when no other is there, saying so (probot's shape)", async () => {
    await files({ "package.json": pkg({ test: "vitest run", "test:code": "vitest run", pretest: "npm run build" }), "package-lock.json": "{}" });
    const noIoredis =
      '  test-no-ioredis:\n    runs-on: x\n    steps:\n      - run: npm ci\n      - run: npm run build\n      - run: npm uninstall ioredis\n      - name: Test\n        run: npm run test:code\n        env:\n          NO_IOREDIS: "true"\n';
    const unit =
      "  test-unit:\n    runs-on: x\n    env:\n      CI: true\n      FORCE_COLOR: 2\n      CARGO_TERM_COLOR: always\n    steps:\n      - run: npm ci\n      - run: npm run test\n";
    await files({ ".github/workflows/test.yml": workflow(noIoredis + unit) });
    assert.deepEqual(await detect(), {
      setup: "npm ci",
      test: "npm run test",
      reason: "from .github/workflows/test.yml, job test-unit; setup `npm ci` (found package-lock.json and a test script in package.json)",
    });
    // A job's or the workflow's own variables count too; a plain step of a later workflow wins over both.
    await files({
      ".github/workflows/ci.yml": `name: CI\non: push\nenv:\n  DATABASE: sqlite\njobs:\n  test:\n    runs-on: x\n    steps:\n      - run: npm test\n`,
      ".github/workflows/test.yml": workflow(
        "  unit:\n    runs-on: x\n    env:\n      MODE: unit\n    steps:\n      - run: npm test -- --unit\n  other:\n    runs-on: x\n    steps:\n      - run: npm run test:code\n",
      ),
    });
    assert.equal((await detect()).test, "npm run test:code");
    // Only steps with variables of their own: the first is taken, and the reason names what is not set here.
    await files({ ".github/workflows/test.yml": workflow(noIoredis) });
    assert.deepEqual(await detect(), {
      setup: "npm ci",
      test: "npm test",
      reason:
        "from .github/workflows/ci.yml, job test (its workflow sets DATABASE, which is not set here); setup `npm ci` (found package-lock.json and a test script in package.json)",
    });
  });

  it("cargo and gradle commands from CI get their offline flags; a command with no detected ecosystem runs without setup", async () => {
    await files({
      "Cargo.toml": "[package]\nname='x'\n",
      ".github/workflows/rust.yml": workflow("  test:\n    runs-on: x\n    steps:\n      - run: cargo test --all-features --workspace\n"),
    });
    assert.deepEqual(await detect(), {
      setup: "cargo fetch",
      test: "cargo test --offline --all-features --workspace",
      reason:
        "from .github/workflows/rust.yml, job test (`cargo test --all-features --workspace`; `--offline` added: tests run offline here); setup `cargo fetch` (found Cargo.toml)",
    });
    await rm(join(dir, "Cargo.toml"));
    await files({ ".github/workflows/rust.yml": workflow("  test:\n    runs-on: x\n    steps:\n      - run: ./gradlew check\n") });
    assert.deepEqual(await detect(), {
      setup: null,
      test: "./gradlew --offline check",
      reason: "from .github/workflows/rust.yml, job test (`./gradlew check`; `--offline` added: tests run offline here); no setup detected for it",
    });
  });

  it("workflow files are read safely: a FIFO, a /dev/zero link, a link out of the tree, a YAML alias bomb and a link for the folder are skipped promptly", async () => {
    await files({ "go.mod": "module x\n" });
    await mkdir(join(dir, ".github/workflows"), { recursive: true });
    await makeFifo(join(dir, ".github/workflows/ci.yml"));
    fifos.push(join(dir, ".github/workflows/ci.yml"));
    await symlink("/dev/zero", join(dir, ".github/workflows/test.yml"));
    const outside = await tempDir("openjules-detect-outside-");
    try {
      await writeFile(join(outside, "w.yml"), workflow("  t:\n    runs-on: x\n    steps:\n      - run: make test-outside\n"));
      await symlink(join(outside, "w.yml"), join(dir, ".github/workflows/build.yml"));
      const bomb = [
        "a: &a [x,x,x,x,x,x,x,x,x,x]",
        ...Array.from(
          { length: 8 },
          (_, i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
        ),
        "jobs:\n  t:\n    steps:\n      - run: make test-bomb",
      ].join("\n");
      await writeFile(join(dir, ".github/workflows/check.yml"), bomb);
      const result = await within(5_000, resolveTestCommands(dir, none), "detection with hostile workflow files");
      assert.deepEqual([result.test, result.reason], ["go test ./...", "found go.mod"]);
      // The workflows folder itself a link out of the tree: never listed.
      await rm(join(dir, ".github/workflows"), { recursive: true, force: true });
      await mkdir(join(outside, "wf"));
      await writeFile(join(outside, "wf/ci.yml"), workflow("  t:\n    runs-on: x\n    steps:\n      - run: make test-outside\n"));
      await symlink(join(outside, "wf"), join(dir, ".github/workflows"));
      assert.equal((await resolveTestCommands(dir, none)).test, "go test ./...");
    } finally {
      await chmod(outside, 0o700);
      await rm(outside, { recursive: true, force: true });
    }
  });
});
