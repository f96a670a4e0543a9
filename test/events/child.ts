/**
 * Runs feed-child.ts and steps it through: wait for "ready", say "go",
 * return the id of the event it wrote.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

const CHILD = new URL("./feed-child.ts", import.meta.url).pathname;

export interface WriterProcess {
  /** Tells the process to write; resolves with the id of the event it wrote. */
  write(): Promise<number>;
  kill(): void;
}

export async function startWriter(args: string[]): Promise<WriterProcess> {
  const child = spawn(process.execPath, [CHILD, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  assert.equal((await lines.next()).value, "ready");
  return {
    write: async () => {
      child.stdin!.write("go\n");
      const line = String((await lines.next()).value);
      assert.match(line, /^wrote \d+$/);
      if (child.exitCode === null) await once(child, "exit");
      return Number(line.slice("wrote ".length));
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Resolves at the next call of the returned callback (the subscriber), or rejects after `ms`. */
export function nextNotice(ms = 10_000): { onNotice: () => void; next: () => Promise<void>; count: () => number } {
  let calls = 0;
  let waiting: (() => void) | undefined;
  return {
    onNotice: () => {
      calls += 1;
      waiting?.();
      waiting = undefined;
    },
    next: () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no notice within ${ms} ms`)), ms);
        waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    count: () => calls,
  };
}
