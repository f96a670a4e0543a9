import { BASE_CONFIG, FIXED_NAMES } from "./env.ts";

/**
 * What simple-git is told to permit, and the checks of our own that keep that
 * permission narrow. simple-git's guards stay on (no `unsafe` option is ever
 * passed): it refuses options that run programs (`--upload-pack`,
 * `--receive-pack`, `--exec`, `clone -u`, `--template`, `-C`, `--git-dir`, ...),
 * refuses config keys and environment variables that could run a program or
 * point git at other config, and drops any ambient `GIT_*` variable.
 *
 * Our fixed config sets some of the keys it guards, to the values that turn
 * the feature off (hooks to /dev/null, no credential helper, pager `cat`,
 * editor `false`, fsmonitor off, `protocol.allow` limited to http(s)). Those
 * keys are listed in `allowConfig`, which permits a key wherever it is set, so
 * refusal() below rejects a command whose own `-c` sets one of them: only
 * gitEnv() sets them. The environment names we set are listed in
 * `allowEnvironment` one by one; a caller may add the commit identity only.
 */

/** Keys the workspace writes with `git config` or `-c` that simple-git does not list as known-safe. */
const WORKSPACE_KEYS = ["fetch.negotiationAlgorithm", "remote.origin.url", "remote.origin.fetch", "remote.origin.tagOpt"];
export const ALLOW_CONFIG: readonly string[] = [...BASE_CONFIG.map(([key]) => key), ...WORKSPACE_KEYS];

/** What a caller may add to the environment (`GitRunOptions.env`). */
const CALLER_ENV = new Set(["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE"]);

/** The environment names simple-git's guard must let through: exactly those our env sets. */
export function allowEnvironment(env: Record<string, string>): string[] {
  const count = Number(env.GIT_CONFIG_COUNT ?? 0);
  const pairs = Array.from({ length: count }, (_, i) => [`GIT_CONFIG_KEY_${i}`, `GIT_CONFIG_VALUE_${i}`]).flat();
  return [...FIXED_NAMES, ...pairs, ...CALLER_ENV].filter((name) => name in env);
}

const FIXED_KEYS = new Set(BASE_CONFIG.map(([key]) => key.toLowerCase()));
/** Global options whose value is the next argument (as git and simple-git parse them). */
const TAKES_VALUE = new Set(["-c", "-C", "--attr-source", "--exec-path", "--git-dir", "--list-cmds", "--namespace", "--super-prefix", "--work-tree"]);

/** The config keys a command sets on its own command line (`git -c key=value <command>`). */
function commandLineKeys(args: readonly string[]): string[] | "config-env" {
  const keys: string[] = [];
  for (let i = 0; i < args.length && args[i]?.startsWith("-"); i++) {
    const arg = args[i] as string;
    if (arg.startsWith("--config-env")) return "config-env";
    if (arg === "-c") keys.push((args[i + 1] ?? "").split("=")[0]?.trim().toLowerCase() ?? "");
    if (TAKES_VALUE.has(arg)) i++;
  }
  return keys;
}

/** Why the command must not run, or null. */
export function refusal(args: readonly string[], options: { env?: Record<string, string>; input?: string | Uint8Array }): string | null {
  const foreign = Object.keys(options.env ?? {}).filter((name) => !CALLER_ENV.has(name));
  if (foreign.length > 0) return `the environment may only add the commit identity, not ${foreign.join(", ")}`;
  const keys = commandLineKeys(args);
  if (keys === "config-env") return "--config-env is not used: config comes from the fixed environment";
  for (const key of keys) {
    if (FIXED_KEYS.has(key)) return `${key} is fixed by the workspace and cannot be set on the command line`;
    if (/^http\..*extraheader$/.test(key)) return "a header (the token) is never passed on the command line";
  }
  // simple-git writes stdin only when there is something to write and leaves it open otherwise.
  if (options.input !== undefined && options.input.length === 0) return "empty input: git would wait for stdin to close";
  return simpleGitLogging();
}

/**
 * simple-git's debug log (the `debug` package, enabled by `DEBUG`) prints each
 * command's environment, which carries the token: refuse to run git while it is on.
 */
const DEBUG_AT_LOAD = process.env.DEBUG ?? ""; // when the debug package read it
function simpleGitLogging(): string | null {
  const patterns = `${DEBUG_AT_LOAD},${process.env.DEBUG ?? ""}`.split(/[\s,]+/).filter((p) => p && !p.startsWith("-"));
  // A pattern can name a simple-git logger when it starts with "simple-git", or a wildcard comes before it ends.
  const on = patterns.some((p) => p.startsWith("simple-git") || (p.includes("*") && "simple-git".startsWith(p.slice(0, p.indexOf("*")))));
  return on ? "DEBUG turns on simple-git's debug log, which would print the token: remove simple-git from DEBUG" : null;
}
