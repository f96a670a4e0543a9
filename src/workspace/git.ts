import { execFile } from "node:child_process";

/**
 * Runs git: execFile (never a shell), a clean environment with no user or
 * system config, no prompts and no hooks, and, for commands that may reach the
 * remote, the installation token passed per command as an `http.extraHeader`
 * through `GIT_CONFIG_COUNT` (scoped to the remote's origin). The token is thus
 * never in argv (`ps`), never in `.git/config` or the working copy. The token
 * provider is called for each such command, so a token refreshed during a long
 * task is picked up; a command rejected for authentication is retried once if
 * the provider then returns a different token. Every error is redacted.
 */

export type TokenProvider = () => Promise<string>;

export interface GitAuth {
  /** The remote URL the token is for; the header is sent only to its origin. */
  remoteUrl: string;
  token: TokenProvider;
}

export interface GitRunOptions {
  cwd: string;
  auth?: GitAuth | undefined;
  /** Text written to git's stdin. */
  input?: string;
  /** Extra environment (e.g. author identity). */
  env?: Record<string, string>;
  timeoutMs?: number;
  maxBuffer?: number;
  signal?: AbortSignal | undefined;
}

export interface GitResult {
  stdout: string;
  stderr: string;
}

export class GitError extends Error {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly authFailed: boolean;
  constructor(message: string, args: readonly string[], exitCode: number | null, stderr: string, authFailed: boolean) {
    super(message);
    this.name = "GitError";
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.authFailed = authFailed;
  }
}

const PASS_THROUGH = ["PATH", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "all_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "GIT_SSL_CAINFO", "GIT_EXEC_PATH"];
const AUTH_FAILURE = /returned error: 40[13]|authentication failed|could not read (username|password)|terminal prompts disabled|invalid username or password|bad credentials/i;
const DEFAULT_TIMEOUT_MS = 15 * 60_000;

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
const BASE_CONFIG: ReadonlyArray<readonly [string, string]> = [
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

/** The value of the Authorization header git sends: Basic base64(x-access-token:<token>). */
export function basicAuthHeader(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}

/** Replaces a token and every encoding of it we might produce with `***`. */
export function redact(text: string, tokens: readonly string[]): string {
  let out = text;
  for (const token of tokens) {
    if (token.length < 4) continue;
    const forms = [token, encodeURIComponent(token), Buffer.from(`x-access-token:${token}`).toString("base64")];
    for (const form of forms) out = out.split(form).join("***");
  }
  return out;
}

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

function authConfig(remoteUrl: string, token: string): [string, string] {
  const origin = new URL(remoteUrl).origin;
  return [`http.${origin}/.extraHeader`, `Authorization: ${basicAuthHeader(token)}`];
}

function exec(args: string[], options: GitRunOptions, env: Record<string, string>, tokens: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      {
        cwd: options.cwd,
        env,
        encoding: "utf8",
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        killSignal: "SIGKILL",
        signal: options.signal,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const cleanErr = redact(String(stderr ?? ""), tokens).trim();
        const code = typeof error.code === "number" ? error.code : null;
        const why = error.killed ? `was stopped (timeout ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms or cancelled)` : `failed${code === null ? "" : ` with exit code ${code}`}`;
        const detail = cleanErr || redact(error.message, tokens);
        const message = `git ${redact(args.join(" "), tokens)} ${why}: ${detail.slice(-2000)}`;
        reject(new GitError(message, args.map((a) => redact(a, tokens)), code, cleanErr, AUTH_FAILURE.test(cleanErr)));
      },
    );
    child.stdin?.on("error", () => {}); // git may exit before reading its input
    child.stdin?.end(options.input ?? "");
  });
}

/** Runs `git <args>` in `options.cwd`. Rejects with a redacted GitError. */
export async function git(args: string[], options: GitRunOptions): Promise<GitResult> {
  if (!options.auth) return exec(args, options, gitEnv([], options.env), []);
  const { remoteUrl, token } = options.auth;
  const first = await token();
  try {
    return await exec(args, options, gitEnv([authConfig(remoteUrl, first)], options.env), [first]);
  } catch (error) {
    if (!(error instanceof GitError) || !error.authFailed) throw error;
    const second = await token();
    if (second === first) throw error;
    return exec(args, options, gitEnv([authConfig(remoteUrl, second)], options.env), [first, second]);
  }
}
