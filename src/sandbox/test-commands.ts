import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RepoConfig } from "../config/repo-config.ts";
import { readRepoText } from "../security/safe-read.ts";

/**
 * Works out how to set up and test a repository. `.github/jules.yml`'s
 * `setup:` and `test:` win; a missing one is detected from the repository, in
 * this order: package.json with a real test script (npm, pnpm, yarn or bun by
 * lockfile), pytest, go.mod, Cargo.toml, a Makefile with a `test` target,
 * Maven, Gradle. `reason` is shown to the person in the status comment, and
 * says plainly when no test command was found. Setup commands put caches and
 * virtualenvs in HOME (a per-task directory), never in the working copy.
 * Manifests are read through safe-read.ts (regular files inside the tree, at
 * most MAX_MANIFEST_BYTES, with a deadline): a FIFO or a link to /dev/zero in
 * their place counts as absent.
 */

export interface TestCommands {
  setup: string | null;
  test: string | null;
  source: "config" | "detected";
  reason: string;
}

interface Detected {
  setup: string | null;
  test: string;
  reason: string;
}

const NPM_DEFAULT_TEST = /no test specified/;

const exists = (dir: string, name: string) => stat(join(dir, name)).then(() => true, () => false);
const MAX_MANIFEST_BYTES = 1024 * 1024;
const read = (dir: string, name: string) => readRepoText(dir, name, { maxBytes: MAX_MANIFEST_BYTES, whole: true });

async function node(dir: string): Promise<Detected | null> {
  const text = await read(dir, "package.json");
  if (text === null) return null;
  let pkg: { scripts?: Record<string, unknown>; packageManager?: unknown };
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch {
    return null;
  }
  const script = pkg.scripts?.test;
  if (typeof script !== "string" || !script.trim() || NPM_DEFAULT_TEST.test(script)) return null;
  const declared = typeof pkg.packageManager === "string" ? pkg.packageManager.split("@")[0] : undefined;
  const managers: [string, string, string, string][] = [
    ["pnpm-lock.yaml", "pnpm", "pnpm install --frozen-lockfile", "pnpm test"],
    ["yarn.lock", "yarn", (await exists(dir, ".yarnrc.yml")) ? "yarn install --immutable" : "yarn install --frozen-lockfile", "yarn test"],
    ["bun.lock", "bun", "bun install --frozen-lockfile", "bun run test"],
    ["bun.lockb", "bun", "bun install --frozen-lockfile", "bun run test"],
    ["package-lock.json", "npm", "npm ci", "npm test"],
    ["npm-shrinkwrap.json", "npm", "npm ci", "npm test"],
  ];
  for (const [lockfile, name, setup, test] of managers) {
    if ((declared === undefined || declared === name) && (await exists(dir, lockfile))) {
      return { setup, test, reason: `found ${lockfile} and a test script in package.json` };
    }
  }
  const fallback = managers.find((m) => m[1] === declared) ?? managers[4]!;
  const setup = fallback[1] === "npm" ? "npm install" : fallback[2].replace(/ --(frozen-lockfile|immutable)/, "");
  return { setup, test: fallback[3], reason: `found a test script in package.json (no lockfile; using ${fallback[1]})` };
}

async function python(dir: string): Promise<Detected | null> {
  const pyproject = (await read(dir, "pyproject.toml")) ?? "";
  const configured =
    (await exists(dir, "pytest.ini")) ||
    /^\[tool\.pytest/m.test(pyproject) ||
    /^\[(tool:)?pytest\]/m.test(((await read(dir, "setup.cfg")) ?? "") + ((await read(dir, "tox.ini")) ?? "")) ||
    (await exists(dir, "conftest.py"));
  let testsDir = false;
  for (const name of ["tests", "test"]) {
    const files = await readdir(join(dir, name)).catch(() => [] as string[]);
    testsDir ||= files.some((f) => /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(f));
  }
  if (!configured && !testsDir) return null;
  const installs = ["pip install --quiet --upgrade pip"];
  for (const req of ["requirements.txt", "requirements-dev.txt", "requirements-test.txt", "dev-requirements.txt"]) {
    if (await exists(dir, req)) installs.push(`pip install --quiet -r ${req}`);
  }
  if (/^\[project\]|^\[tool\.poetry\]/m.test(pyproject) || (await exists(dir, "setup.py"))) installs.push("pip install --quiet -e .");
  installs.push("pip install --quiet pytest");
  const setup = `python3 -m venv "$HOME/.venv" && . "$HOME/.venv/bin/activate" && ${installs.join(" && ")}`;
  const test = `if [ -x "$HOME/.venv/bin/python" ]; then "$HOME/.venv/bin/python" -m pytest; else python3 -m pytest; fi`;
  return { setup, test, reason: configured ? "found pytest configuration" : "found Python tests (test_*.py) in a tests directory" };
}

async function others(dir: string): Promise<Detected | null> {
  if (await exists(dir, "go.mod")) return { setup: "go mod download", test: "go test ./...", reason: "found go.mod" };
  if (await exists(dir, "Cargo.toml")) return { setup: "cargo fetch", test: "cargo test --offline", reason: "found Cargo.toml" };
  for (const name of ["Makefile", "makefile", "GNUmakefile"]) {
    const text = await read(dir, name);
    if (text !== null && /^test\s*:(?!=)/m.test(text)) return { setup: null, test: "make test", reason: `found a test target in ${name}` };
  }
  if (await exists(dir, "pom.xml")) return { setup: "mvn -B -q dependency:go-offline", test: "mvn -B -q -o test", reason: "found pom.xml (Maven)" };
  if (await exists(dir, "gradlew")) return { setup: "./gradlew --no-daemon -q testClasses", test: "./gradlew --no-daemon --offline test", reason: "found the Gradle wrapper (gradlew)" };
  if ((await exists(dir, "build.gradle")) || (await exists(dir, "build.gradle.kts"))) {
    return { setup: "gradle --no-daemon -q testClasses", test: "gradle --no-daemon --offline test", reason: "found build.gradle (Gradle)" };
  }
  return null;
}

/** Pure-ish detection from the files in `dir` (the working copy). */
export async function detectTestCommands(dir: string): Promise<Detected | null> {
  return (await node(dir)) ?? (await python(dir)) ?? (await others(dir));
}

export async function resolveTestCommands(dir: string, config: Pick<RepoConfig, "setup" | "test">): Promise<TestCommands> {
  const setup = config.setup?.trim() || null;
  const test = config.test?.trim() || null;
  if (setup && test) return { setup, test, source: "config", reason: "setup and test commands from .github/jules.yml" };
  const detected = await detectTestCommands(dir);
  if (test) {
    return { setup: detected?.setup ?? null, test, source: "config", reason: `test command from .github/jules.yml${detected?.setup ? `; setup detected (${detected.reason})` : ""}` };
  }
  if (!detected) {
    return { setup, test: null, source: setup ? "config" : "detected", reason: "no test command found: add `test:` to .github/jules.yml to have changes tested" };
  }
  if (setup) return { setup, test: detected.test, source: "config", reason: `setup command from .github/jules.yml; test detected (${detected.reason})` };
  return { setup: detected.setup, test: detected.test, source: "detected", reason: detected.reason };
}
