import { basicAuthHeader } from "./redact.ts";

/**
 * The environment git runs with: a clean one with no user or system config, no
 * prompts, and the fixed command-scope config below passed through
 * `GIT_CONFIG_COUNT` / `GIT_CONFIG_KEY_n` / `GIT_CONFIG_VALUE_n` (never argv).
 * GIT_EXEC_PATH is not passed through: git finds its helpers without it, and
 * simple-git refuses it as a way to run other programs.
 */
const PASS_THROUGH = [
  "PATH",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "ALL_PROXY",
  "all_proxy",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "GIT_SSL_CAINFO",
];

/**
 * HOME for git: not a directory, so no `~/.gitconfig`, `~/.git-credentials` or
 * `~/.netrc` can exist (git treats ENOTDIR as "missing", silently).
 */
const NO_HOME = "/dev/null";

/**
 * The fixed config every command runs with (command scope, so it wins and is
 * honoured for safe.directory). Git never recurses into submodules or nested
 * repositories: a git run inside one would read that repository's own
 * `.git/config` (written by repository code in the sandbox) and run its
 * filters, textconv, fsmonitor or hooks on the host. And no config git reads
 * here (this, the mirror's, which only we write; system and global are off)
 * defines a filter, textconv or diff driver, so a worktree `.gitattributes`
 * naming one runs nothing.
 */
export const BASE_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ["safe.directory", "*"], // worktrees may be owned by the sandbox user
  ["core.hooksPath", "/dev/null"],
  ["credential.helper", ""],
  ["protocol.allow", "never"],
  ["protocol.https.allow", "always"],
  ["protocol.http.allow", "always"],
  ["gc.autoDetach", "false"],
  ["commit.gpgSign", "false"],
  ["tag.gpgSign", "false"],
  ["core.fsmonitor", "false"],
  ["advice.detachedHead", "false"],
  ["init.defaultBranch", "main"],
  ["submodule.recurse", "false"],
  ["diff.ignoreSubmodules", "all"],
  ["status.submoduleSummary", "false"],
  ["fetch.recurseSubmodules", "false"],
  ["push.recurseSubmodules", "no"],
  ["core.pager", "cat"],
  ["core.editor", "false"],
];

/** The names gitEnv() sets besides the GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n pairs. */
export const FIXED_NAMES = [
  ...PASS_THROUGH,
  "HOME",
  "XDG_CONFIG_HOME",
  "LANG",
  "LC_ALL",
  "GIT_CONFIG_NOSYSTEM",
  "GIT_CONFIG_GLOBAL",
  "GIT_TERMINAL_PROMPT",
  "GCM_INTERACTIVE",
  "GIT_CONFIG_COUNT",
];

export function gitEnv(extraConfig: ReadonlyArray<readonly [string, string]> = [], extraEnv: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  Object.assign(env, {
    HOME: NO_HOME,
    XDG_CONFIG_HOME: NO_HOME,
    LANG: "C",
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
  });
  const config = [...BASE_CONFIG, ...extraConfig];
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return { ...env, ...extraEnv };
}

/** The token as an `http.<origin>/.extraHeader`: sent only to the remote's origin. */
export function authConfig(remoteUrl: string, token: string): [string, string] {
  const origin = new URL(remoteUrl).origin;
  return [`http.${origin}/.extraHeader`, `Authorization: ${basicAuthHeader(token)}`];
}
