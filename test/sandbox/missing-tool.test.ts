import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { missingTool, missingToolHint } from "../../src/sandbox/missing-tool.ts";

/** A tool that is not installed is told apart from a failing test, from what shells, npm, make, Python and cargo really print. */
describe("sandbox: a missing tool is an environment problem", () => {
  const cases: [string, number, string, string][] = [
    ["npm test whose script needs mocha (dash)", 127, "\n> x@1.0.0 test\n> mocha\n\nsh: 1: mocha: not found", "mocha"],
    ["pnpm under bash", 127, "bash: line 1: pnpm: command not found", "pnpm"],
    ["bun under bash -c", 127, "bash: bun: command not found", "bun"],
    ["deno through /bin/sh", 127, "/bin/sh: deno: not found", "deno"],
    ["a shebang naming python", 127, "/usr/bin/env: ‘python’: No such file or directory", "python"],
    ["make running pytest", 2, "pytest\nmake: pytest: No such file or directory\nmake: *** [Makefile:2: test] Error 127", "pytest"],
    ["python -m pytest without pytest", 1, "/usr/bin/python3: No module named pytest", "pytest"],
    [
      "a pinned Rust toolchain rustup cannot install (read-only RUSTUP_HOME)",
      1,
      "error: toolchain '1.70.0-x86_64-unknown-linux-gnu' is not installed\nhelp: run `rustup toolchain install 1.70.0-x86_64-unknown-linux-gnu` to install it",
      "rust 1.70.0-x86_64-unknown-linux-gnu",
    ],
    [
      "rustup with no default toolchain",
      1,
      "error: rustup could not choose a version of cargo to run, because one wasn't specified explicitly, and no default is configured.\nhelp: run 'rustup default stable' to download the latest stable release of Rust and set it as your default toolchain.",
      "rust (a default toolchain)",
    ],
    ["a cargo subcommand that is not installed", 101, "error: no such command: `nextest`\n\n\tView all installed commands with `cargo --list`", "cargo-nextest"],
    ["go, by path", 127, "sh: 1: /usr/local/go/bin/go: not found", "go"],
  ];
  for (const [what, exit, output, tool] of cases) {
    it(`names the tool: ${what}`, () => assert.equal(missingTool(exit, output)?.tool, tool));
  }

  it("is not fooled by a test that fails, even one that prints 'not found'", () => {
    assert.equal(missingTool(1, "sh: 1: mocha: not found"), null, "a shell's not-found line without exit 127");
    assert.equal(missingTool(127, "AssertionError: user not found"), null);
    assert.equal(missingTool(1, "E   ModuleNotFoundError: No module named 'requests'"), null, "an import error inside the tests is the code's");
    assert.equal(missingTool(0, "sh: 1: optional-tool: not found"), null);
  });

  it("says how to provide it: the worker, JULES_SANDBOX_READONLY_PATHS, or jules.yml; corepack for pnpm and yarn", () => {
    const hint = missingToolHint("go");
    assert.equal(
      hint,
      "`go` is not installed where OpenJules runs the repository's commands. The operator can install it on the worker (or in its image) under /usr; a toolchain installed elsewhere (such as /opt/go or ~/.cargo) can be made visible to the sandbox, read-only, with `JULES_SANDBOX_READONLY_PATHS`. Or set `setup:` (to install it) or `test:` (to use another command) in .github/jules.yml.",
    );
    assert.match(missingToolHint("pnpm"), /`packageManager` in package\.json .*corepack/);
    assert.match(missingToolHint("pytest"), /install it in `setup:` \(for example into `\$HOME\/\.venv`\)/);
    assert.match(missingToolHint("corepack"), /^Corepack .* is not installed on this worker: Node\.js 25 and later no longer ship it/);
  });
});
