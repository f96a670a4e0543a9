import type { Readable } from "node:stream";
import { GitConstructError, GitPluginError, GitError as SimpleGitError, simpleGit } from "simple-git";
import { GitError, isAuthFailure } from "./error.ts";
import { ALLOW_CONFIG, allowEnvironment, refusal } from "./guards.ts";
import { redact } from "./redact.ts";
import type { GitBytesResult, GitRunOptions } from "./types.ts";

/**
 * Runs one git command through simple-git: spawn, never a shell; the given
 * environment only (gitEnv(): no user or system config, hooks off, the token
 * if any in GIT_CONFIG_*); simple-git's guards on (see guards.ts). simple-git
 * gives what execFile gave: stdin (its `input` option, binary too), every
 * byte of stdout and stderr and the exit code (its `errors` hook sees them on
 * success and failure alike), and cancellation (its `abort` signal, which
 * stops git with SIGINT). The whole-command deadline, the cancellation signal
 * and the output cap all abort that signal. Every message is redacted.
 */

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;
/** simple-git's refusals (its guards); "abort" is ours and handled as a stop. */
const REFUSING_PLUGINS = new Set(["unsafe", "allowEnvironment", "allowConfig", "binary"]);

interface Outcome {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number | null;
}

export async function runGit(args: string[], options: GitRunOptions, env: Record<string, string>, tokens: readonly string[]): Promise<GitBytesResult> {
  const fail = (why: string, exitCode: number | null, stderr: string, detail = "") => {
    const clean = redact(stderr, tokens).trim();
    const message = `git ${redact(args.join(" "), tokens)} ${why}: ${(clean || redact(detail, tokens)).slice(-2000)}`;
    return new GitError(
      message,
      args.map((a) => redact(a, tokens)),
      exitCode,
      clean,
      isAuthFailure(clean),
    );
  };
  const refused = refusal(args, options);
  if (refused) throw fail("was refused", null, "", refused);

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cap = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
  const stop = new AbortController();
  let stopped: string | null = null;
  const pipes: Readable[] = [];
  const halt = (why: string) => {
    if (stopped !== null) return;
    stopped = why;
    stop.abort();
    // As execFile's kill does: a helper git started (git-remote-http) may outlive git and hold
    // its pipes open, so stop reading them and the command completes when git exits.
    for (const pipe of pipes) pipe.destroy();
  };
  const cancelled = () => halt(`was stopped (timeout ${timeoutMs} ms or cancelled)`);
  const timer = setTimeout(cancelled, timeoutMs);
  options.signal?.addEventListener("abort", cancelled, { once: true });
  if (options.signal?.aborted) cancelled();

  let outcome: Outcome | undefined;
  const { input } = options;
  try {
    const client = simpleGit({
      baseDir: options.cwd,
      abort: stop.signal,
      // Done when git's pipes close, as execFile was: all output is in by then.
      completion: { onClose: true, onExit: false },
      allowConfig: [...ALLOW_CONFIG],
      allowEnvironment: allowEnvironment(env),
      ...(input === undefined ? {} : { input: () => Buffer.from(input) }),
      errors(error, result) {
        outcome = { stdout: Buffer.concat(result.stdOut), stderr: Buffer.concat(result.stdErr), exitCode: result.exitCode };
        return error ?? (result.exitCode === 0 ? undefined : new SimpleGitError(undefined, `exit code ${result.exitCode}`));
      },
    });
    client.env(env).outputHandler((_command, stdout, stderr) => {
      // simple-git waits 50 ms more after a command that printed nothing, for output arriving
      // after exit; we complete on close only (above), so that wait is moot. An empty chunk, sent
      // once its listeners are attached, counts as output and skips it (10+ silent commands a task).
      queueMicrotask(() => stdout.emit("data", Buffer.alloc(0)));
      pipes.push(stdout as Readable, stderr as Readable); // the child's sockets
      for (const [name, stream] of [
        ["stdout", stdout],
        ["stderr", stderr],
      ] as const) {
        let bytes = 0;
        stream.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > cap) halt(`was stopped: ${name} maxBuffer length exceeded (${cap} bytes)`);
        });
      }
    });
    await client.raw(args);
    if (stopped !== null) throw new SimpleGitError(undefined, stopped); // finished while being stopped
    return { stdout: outcome?.stdout ?? Buffer.alloc(0), stderr: outcome?.stderr.toString("utf8") ?? "" };
  } catch (error) {
    const stderr = outcome?.stderr.toString("utf8") ?? "";
    if (stopped !== null) throw fail(stopped, null, stderr);
    if (error instanceof GitConstructError) throw fail("failed", null, "", `no such directory ${options.cwd}`);
    if (error instanceof GitPluginError && REFUSING_PLUGINS.has(error.plugin ?? "")) throw fail("was refused by simple-git", null, "", error.message);
    const code = outcome?.exitCode ?? null;
    throw fail(`failed${code === null ? "" : ` with exit code ${code}`}`, code, stderr, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", cancelled);
  }
}
