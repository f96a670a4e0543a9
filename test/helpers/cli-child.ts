/**
 * The real `openjules` bin (bin/openjules.js) as a child process, for tests
 * that watch what it prints while they change the world around it: stdout
 * and stderr as received so far, the exit code, signals; and `until`, a poll
 * for a condition with a deadline.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/openjules.js", import.meta.url));

export interface CliChild {
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** The exit code (-1 when it ended by a signal). */
  exit: Promise<number>;
  kill(signal: NodeJS.Signals): void;
}

/** Spawns `openjules <args>` in `cwd` with PATH, HOME=cwd and `env` only (stdout is a pipe: plain lines, no screen). */
export function spawnCli(args: string[], env: Record<string, string>, cwd: string): CliChild {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, ...env } });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const exit = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
  return { stdout: () => out, stderr: () => err, exit, kill: (signal) => void child.kill(signal) };
}

/** Polls `check` every 20 ms until it holds; throws naming `what` after `ms` (10 s). */
export async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  for (const start = Date.now(); !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - start > ms) throw new Error(`still waiting for: ${what}`);
  }
}
