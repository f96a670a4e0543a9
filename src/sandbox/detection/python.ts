import { exists, list, read, tomlTable, type Candidate } from "./files.ts";

/**
 * Python, in the order a project's own tooling says:
 * - uv (uv.lock): `uv sync --locked` (plus the test group of
 *   `[dependency-groups]` when it is not `dev`, which uv installs anyway),
 *   tests with `uv run pytest`;
 * - tox (`[tox]` in tox.ini, `[tox:tox]` in setup.cfg, `[tool.tox]` in
 *   pyproject.toml): tox in the virtualenv, its `py` environment (the
 *   interpreter the sandbox has; an envlist naming other versions would only
 *   skip or fail) prepared by setup with network (`--notest`), run by the tests;
 * - pytest (configuration, conftest.py, or test_*.py in tests/ or test/):
 *   a virtualenv in HOME (`~/.venv`, first on the sandbox's PATH, so later
 *   `pip`, `python3` and `pytest` are the virtualenv's) with the
 *   requirements files, the project itself, the PEP 735 test group
 *   (`pip install --group`, pip 25.1+, hence the pip upgrade) and pytest.
 */

const GROUPS = ["test", "tests", "testing", "dev"];
const VENV = "python3 -m venv ~/.venv && pip install -q --upgrade pip";

/** The `[dependency-groups]` group to install for tests, and whether it names pytest. */
function testGroup(pyproject: string): { name: string; pytest: boolean } | null {
  const table = tomlTable(pyproject, "dependency-groups");
  if (table === null) return null;
  const names = [...table.matchAll(/^\s*"?([A-Za-z0-9_.-]+)"?\s*=/gm)].map((m) => m[1]!);
  const name = GROUPS.find((g) => names.includes(g));
  return name ? { name, pytest: /pytest/.test(table) } : null;
}

async function usesTox(dir: string, pyproject: string): Promise<string | null> {
  if (/^\[tox\]/m.test((await read(dir, "tox.ini")) ?? "")) return "tox.ini";
  if (/^\[tool\.tox\]/m.test(pyproject)) return "[tool.tox] in pyproject.toml";
  if (/^\[tox:tox\]/m.test((await read(dir, "setup.cfg")) ?? "")) return "[tox:tox] in setup.cfg";
  return null;
}

export async function python(dir: string): Promise<Candidate | null> {
  const pyproject = (await read(dir, "pyproject.toml")) ?? "";
  const group = testGroup(pyproject);
  if (await exists(dir, "uv.lock")) {
    const extra = group && group.name !== "dev" ? ` --group ${group.name}` : "";
    return {
      family: "python",
      setup: `uv sync --locked${extra}`,
      test: "uv run pytest",
      reason: `found uv.lock (a uv project)${extra ? `; installs the \`${group!.name}\` dependency group` : ""}`,
    };
  }
  const tox = await usesTox(dir, pyproject);
  if (tox) return { family: "python", setup: `${VENV} && pip install -q tox && tox -e py --notest`, test: "tox -e py", reason: `found ${tox} (tox; its \`py\` environment)` };
  const configured =
    (await exists(dir, "pytest.ini")) ||
    /^\[tool\.pytest/m.test(pyproject) ||
    /^\[(tool:)?pytest\]/m.test(((await read(dir, "setup.cfg")) ?? "") + ((await read(dir, "tox.ini")) ?? "")) ||
    (await exists(dir, "conftest.py"));
  let testsDir = false;
  for (const name of ["tests", "test"]) testsDir ||= (await list(dir, name)).some((f) => /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(f));
  if (!configured && !testsDir && !group) return null;
  const installs: string[] = [];
  for (const req of ["requirements.txt", "requirements-dev.txt", "requirements-test.txt", "dev-requirements.txt"]) {
    if (await exists(dir, req)) installs.push(`-r ${req}`);
  }
  if (/^\[project\]|^\[tool\.poetry\]/m.test(pyproject) || (await exists(dir, "setup.py"))) installs.push("-e .");
  if (group) installs.push(`--group ${group.name}`);
  if (!group?.pytest) installs.push("pytest");
  const why = configured ? "found pytest configuration" : testsDir ? "found Python tests (test_*.py) in a tests directory" : "found pyproject.toml";
  return {
    family: "python",
    setup: `${VENV} && pip install -q ${installs.join(" ")}`,
    test: "python3 -m pytest",
    reason: `${why}${group ? `; installs the \`${group.name}\` dependency group ([dependency-groups])` : ""}`,
  };
}
