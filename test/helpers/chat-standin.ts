/**
 * A stand-in for a chat process that uses OpenJules through `openjules
 * channel` (run as its own node process: `node chat-standin.ts INBOX
 * OUTBOX`). Each line it reads on stdin is a prompt line, appended to the
 * inbox in three pieces a little apart (as a writer that flushes part of a
 * line at a time); each new complete line of the outbox is printed on stdout
 * as it arrives (fs.watch and a 50 ms poll), as a bot tailing its answers
 * does. `chatStandin` runs it for a test and waits for outbox lines.
 */
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, statSync, watch } from "node:fs";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface OutboxLine {
  version: number;
  id: string;
  task: string | null;
  status: string;
  summary: string;
  pullRequest: { url: string; number: number } | null;
  plan: { version: number; summary: string; steps: unknown[] } | null;
  error: string | null;
}

export interface ChatStandin {
  /** Appends this line (a newline is added) to the inbox, in pieces. */
  say(line: string): void;
  /** Every outbox line seen so far. */
  lines(): OutboxLine[];
  /** The first outbox line that matches, waiting for it up to `ms` (15 s). */
  waitFor(what: string, match: (line: OutboxLine) => boolean, ms?: number): Promise<OutboxLine>;
  close(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

/** Starts the stand-in as a child process on these files. */
export function chatStandin(inbox: string, outbox: string): ChatStandin {
  const child = spawn(process.execPath, [SELF, inbox, outbox], { stdio: ["pipe", "pipe", "inherit"] });
  const seen: OutboxLine[] = [];
  const waiting = new Set<() => void>();
  createInterface({ input: child.stdout }).on("line", (text) => {
    seen.push(JSON.parse(text) as OutboxLine);
    for (const wake of waiting) wake();
  });
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return {
    say: (line) => void child.stdin.write(`${JSON.stringify(line)}\n`),
    lines: () => [...seen],
    waitFor: (what, match, ms = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = seen.find(match);
          if (!found) return;
          waiting.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`no outbox line ${what}; seen: ${JSON.stringify(seen)}`));
        }, ms);
        waiting.add(check);
        check();
      }),
    close: async () => {
      child.stdin.end();
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The stand-in itself. */
function main(inbox: string, outbox: string): void {
  const pieces: string[] = [];
  let writing = false;
  const writeNext = () => {
    const piece = pieces.shift();
    if (piece === undefined) return void (writing = false);
    writing = true;
    appendFileSync(inbox, piece);
    setTimeout(writeNext, 40);
  };
  createInterface({ input: process.stdin }).on("line", (json) => {
    const line = `${JSON.parse(json) as string}\n`;
    const third = Math.max(1, Math.floor(line.length / 3));
    pieces.push(line.slice(0, third), line.slice(third, 2 * third), line.slice(2 * third));
    if (!writing) writeNext();
  });

  let read = 0;
  let partial = "";
  const tail = () => {
    let size = 0;
    try {
      size = statSync(outbox).size;
    } catch {
      return;
    }
    if (size <= read) return;
    const text = partial + readFileSync(outbox).subarray(read, size).toString("utf8");
    read = size;
    const lines = text.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line) process.stdout.write(`${line}\n`);
  };
  watch(dirname(outbox), () => tail());
  setInterval(tail, 50);
  process.on("SIGTERM", () => process.exit(0));
}

if (process.argv[1] === SELF) main(process.argv[2]!, process.argv[3]!);
