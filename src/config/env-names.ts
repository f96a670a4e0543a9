/**
 * Which environment variables a repository may set for its commands
 * (jules.yml `env:`), as pure rules shared by the config schema and the
 * sandbox. Names are the portable shell form in capitals. Refused are the
 * variables the sandbox sets itself and the ones that would change what runs
 * or where it writes: HOME and PATH (the task's HOME and its tools), the
 * user and TMPDIR, the proxy variables (setup's only way out; tests have none),
 * the dynamic loader's (LD_*), git's (the read-only view of the repository,
 * GIT_DIR, GIT_CONFIG_*), and npm's global prefix.
 */

export const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

const RESERVED = new Set([
  "HOME",
  "PATH",
  "USER",
  "LOGNAME",
  "SHELL",
  "TMPDIR",
  "PWD",
  "OLDPWD",
  "HOSTNAME",
  "NO_PROXY",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "ALL_PROXY",
  "FTP_PROXY",
  "YARN_HTTP_PROXY",
  "YARN_HTTPS_PROXY",
]);
const RESERVED_PREFIXES = ["LD_", "GIT_", "NPM_CONFIG_", "BWRAP"];

/** True for a name jules.yml `env:` may not set (compared case-insensitively: npm reads `npm_config_*` in any case). */
export function reservedEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return RESERVED.has(upper) || RESERVED_PREFIXES.some((prefix) => upper.startsWith(prefix));
}
