import { authConfig, gitEnv } from "./git/env.ts";
import { GitError } from "./git/error.ts";
import { runGit } from "./git/run.ts";
import type { GitBytesResult, GitResult, GitRunOptions } from "./git/types.ts";

/**
 * Runs git through simple-git (git/run.ts): spawn (never a shell), a clean
 * environment with no user or system config, no prompts and no hooks
 * (git/env.ts), simple-git's unsafe-option guards on (git/guards.ts), and, for
 * commands that may reach the remote, the installation token passed per
 * command as an `http.extraHeader` through `GIT_CONFIG_COUNT` (scoped to the
 * remote's origin). The token is thus never in argv (`ps`), never in
 * `.git/config` or the working copy. The token provider is called for each
 * such command, so a token refreshed during a long task is picked up; a
 * command rejected for authentication is retried once if the provider then
 * returns a different token. Every error is redacted.
 */

export { gitEnv } from "./git/env.ts";
export { GitError } from "./git/error.ts";
export { basicAuthHeader, redact } from "./git/redact.ts";
export type { GitAuth, GitBytesResult, GitResult, GitRunOptions, TokenProvider } from "./git/types.ts";

/** Runs `git <args>` in `options.cwd`; stdout as raw bytes (`cat-file --batch`). Rejects with a redacted GitError. */
export async function gitBytes(args: string[], options: GitRunOptions): Promise<GitBytesResult> {
  if (!options.auth) return runGit(args, options, gitEnv([], options.env), []);
  const { remoteUrl, token } = options.auth;
  const first = await token();
  try {
    return await runGit(args, options, gitEnv([authConfig(remoteUrl, first)], options.env), [first]);
  } catch (error) {
    if (!(error instanceof GitError) || !error.authFailed) throw error;
    const second = await token();
    if (second === first) throw error;
    return runGit(args, options, gitEnv([authConfig(remoteUrl, second)], options.env), [first, second]);
  }
}

/** Runs `git <args>` in `options.cwd`. Rejects with a redacted GitError. */
export async function git(args: string[], options: GitRunOptions): Promise<GitResult> {
  const { stdout, stderr } = await gitBytes(args, options);
  return { stdout: stdout.toString("utf8"), stderr };
}
