/**
 * A server under benchmark, in its own process (so its memory and event loop
 * are its own, not the load generator's): started with the project's Node
 * (node_modules/.bin/node), given a clean environment, considered ready when
 * it logs a given message (pino JSON on stdout), measured from outside (RSS
 * from /proc, or `ps` elsewhere), and stopped with SIGTERM like a real
 * deployment (SIGKILL if it does not exit).
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = join(import.meta.dirname, "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");

export interface ServerProcess {
  pid: number;
  /** Resident memory of the process now, in bytes. */
  rssBytes(): number;
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Script path relative to the repository root, and its arguments. */
  script: string;
  args?: string[];
  env: Record<string, string>;
  /** The `msg` of the log line that means "ready". */
  readyMessage: string;
  timeoutMs?: number;
}

export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...opts.env };
  const child = spawn(NODE, [join(ROOT, opts.script), ...(opts.args ?? [])], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve) => {
    lines.on("line", (line) => {
      if (line.includes(opts.readyMessage) && messageOf(line) === opts.readyMessage) resolve();
    });
  });
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => "ready" as const),
    exited.then(() => "exited" as const),
    new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== "ready") {
    child.kill("SIGKILL");
    throw new Error(`${opts.script} ${outcome === "exited" ? "exited" : `was not ready after ${timeoutMs} ms`} before logging "${opts.readyMessage}". Its stderr:\n${stderr}`);
  }
  const pid = child.pid!;
  return {
    pid,
    rssBytes: () => rssOf(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(killer);
      lines.close();
    },
  };
}

function messageOf(line: string): string | undefined {
  try {
    return (JSON.parse(line) as { msg?: string }).msg;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in bytes: /proc on Linux, `ps` elsewhere. */
export function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux: ask ps
  }
  return Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) * 1024;
}
