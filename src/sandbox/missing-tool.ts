/**
 * A command that failed because a program it needs is not installed where
 * the sandbox runs it: a shell's "not found" with exit status 127 (dash,
 * bash, zsh, `env` in a shebang, make's "Error 127"), Python's "No module
 * named pytest" for `python -m`, cargo's "no such command", or rustup's
 * "toolchain … is not installed" / "could not choose a version". That is an
 * environment problem, never a failing test: the person is told which tool is
 * missing and how to provide it, and the model is not asked to fix code for it.
 * Input is cleaned output (cleanOutput). Pure.
 */

export interface MissingTool {
  /** The program (or Python module) that was not found, e.g. `pnpm`. */
  tool: string;
  /** The line that said so, as printed. */
  line: string;
}

const SHELL_NOT_FOUND = [
  /^(?:\S*sh|\S*\/sh): (?:line )?\d+: (\S+): (?:command )?not found$/, // dash: "sh: 1: mocha: not found"; bash: "bash: line 1: pnpm: command not found"
  /^(?:\S*sh|\S*\/sh): (\S+): (?:command )?not found$/, // "bash: pnpm: command not found", "/bin/sh: deno: not found"
  /^zsh:\d*:? command not found: (\S+)$/,
  /^(?:\S*\/)?env: [‘'"]?([^’'"\s]+)[’'"]?: No such file or directory$/, // "/usr/bin/env: ‘python’: No such file or directory"
  /^make(?:\[\d+\])?: (\S+): (?:No such file or directory|Command not found)$/,
];
const PYTHON_MODULE = /^\S*python[\d.]*: No module named ([\w.]+)$/;
const CARGO_SUBCOMMAND = /^error: no such (?:sub)?command: [`'"]?([\w-]+)[`'"]?$/;
/** rustup's proxies (cargo, rustc) with a read-only RUSTUP_HOME and RUSTUP_AUTO_INSTALL=0: the pinned toolchain is not installed, or none is the default. */
const RUST_TOOLCHAIN = /^error: toolchain '([^']+)' is not installed/;
const RUSTUP_NO_DEFAULT = /^error: rustup could not choose a version of (\w+) to run/;

const base = (path: string) => path.slice(path.lastIndexOf("/") + 1) || path;

export function missingTool(exitCode: number | null, output: string): MissingTool | null {
  const lines = output.split("\n").map((l) => l.trim());
  const exit127 = exitCode === 127 || lines.some((l) => /^make(?:\[\d+\])?: \*\*\* .*Error 127$/.test(l));
  if (exit127) {
    for (const line of lines) {
      for (const pattern of SHELL_NOT_FOUND) {
        const m = pattern.exec(line);
        if (m) return { tool: base(m[1]!), line };
      }
    }
  }
  if (exitCode !== 0 && exitCode !== null) {
    for (const line of lines) {
      const py = PYTHON_MODULE.exec(line);
      if (py) return { tool: py[1]!, line };
      const cargo = CARGO_SUBCOMMAND.exec(line);
      if (cargo && exitCode === 101) return { tool: `cargo-${cargo[1]}`, line };
      const pinned = RUST_TOOLCHAIN.exec(line);
      if (pinned) return { tool: `rust ${pinned[1]}`, line };
      if (RUSTUP_NO_DEFAULT.test(line)) return { tool: NO_DEFAULT_RUST, line };
    }
  }
  return null;
}

const NO_DEFAULT_RUST = "rust (a default toolchain)";

/** rustup homes are mounted read-only, so only the worker's operator can add a toolchain. */
function rustHint(tool: string): string {
  const install = tool === NO_DEFAULT_RUST ? "`rustup default stable`" : `\`rustup toolchain install ${tool.slice("rust ".length)}\``;
  return ` Rust toolchains come from the worker's rustup home, mounted read-only: the operator installs the one the repository needs on the worker (${install}).`;
}

const COREPACK_MANAGED = new Set(["pnpm", "yarn"]);
const PYTHON_TOOLS = new Set(["pytest", "tox", "nox", "hatch", "poetry", "uv"]);

/** What the person can do about a missing tool, in one paragraph (Markdown). */
export function missingToolHint(tool: string): string {
  if (tool === "corepack") {
    return "Corepack (which provides the pnpm or yarn that `packageManager` in package.json names) is not installed on this worker: Node.js 25 and later no longer ship it. Ask the operator to install it on the worker (`npm install -g corepack`, so it is under /usr), or set `setup:` and `test:` in .github/jules.yml to commands that do not need it.";
  }
  const corepack = COREPACK_MANAGED.has(tool)
    ? ' Naming it in `packageManager` in package.json (for example `"packageManager": "pnpm@9.12.0"`) lets OpenJules run it through corepack, which setup downloads it with.'
    : "";
  const python = PYTHON_TOOLS.has(tool) ? " For a Python tool, install it in `setup:` (for example into `$HOME/.venv`)." : "";
  const rust = tool.startsWith("rust ") ? rustHint(tool) : "";
  return (
    `\`${tool}\` is not installed where OpenJules runs the repository's commands. ` +
    "The operator can install it on the worker (or in its image) under /usr; a toolchain installed elsewhere (such as /opt/go or ~/.cargo) can be made visible to the sandbox, read-only, with `JULES_SANDBOX_READONLY_PATHS`. " +
    `Or set \`setup:\` (to install it) or \`test:\` (to use another command) in .github/jules.yml.${corepack}${python}${rust}`
  );
}
