/**
 * OpenJules as a real operating-system process for multi-process tests and
 * benchmarks: `node_modules/.bin/node src/main.ts web|worker` with a clean
 * environment, ready once it logs "OpenJules is running" (at LOG_LEVEL info,
 * the default here: a stricter level hides that line). The last lines of
 * its output are kept for failure messages. A `JulesProcesses` group owns
 * every process it started: `stopAll()` ends them (SIGTERM, then SIGKILL) and
 * is meant for `after`, and a synchronous exit hook SIGKILLs any still alive
 * if the test process ends without cleaning up, so none is ever left behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = join(import.meta.dirname, "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");
const READY = "OpenJules is running";

export interface JulesProcess {
  name: string;
  pid: number;
  /** Resolves when the process has exited (with its code or signal). */
  exited: Promise<string>;
  /** The last lines the process wrote (stdout and stderr). */
  output(): string;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

const alive = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of alive) child.kill("SIGKILL");
});

export class JulesProcesses {
  readonly all: JulesProcess[] = [];

  /** Starts `src/main.ts <mode>` and waits until it is ready (or fails with its output). */
  async start(name: string, mode: "web" | "worker" | "all", env: Record<string, string>, timeoutMs = 90_000): Promise<JulesProcess> {
    const child = spawn(NODE, [join(ROOT, "src", "main.ts"), mode], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    alive.add(child);
    const exited = new Promise<string>((resolve) =>
      child.once("exit", (code, signal) => {
        alive.delete(child);
        resolve(signal ?? `code ${code}`);
      }),
    );
    const lines: string[] = [];
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on("line", (line) => {
        lines.push(line);
        if (lines.length > 200) lines.shift();
        if (line.includes(READY)) ready();
      });
    }
    const proc: JulesProcess = {
      name,
      pid: child.pid!,
      exited,
      output: () => lines.join("\n"),
      kill: (signal) => void child.kill(signal),
      async stop(graceMs = 15_000) {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(killer);
      },
    };
    this.all.push(proc);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      isReady.then(() => "ready"),
      exited.then((how) => `exited (${how})`),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`not ready after ${timeoutMs} ms`), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (outcome !== "ready") {
      await proc.stop(0);
      throw new Error(`${name} (src/main.ts ${mode}) ${outcome}. Its output:\n${proc.output()}`);
    }
    return proc;
  }

  /** Stops every process started here, in parallel. */
  async stopAll(graceMs = 10_000): Promise<void> {
    await Promise.all(this.all.map((p) => p.stop(graceMs)));
  }

  /** Every process's last output, for a failure message. */
  outputs(): string {
    return this.all.map((p) => `--- ${p.name} (pid ${p.pid})\n${p.output().split("\n").slice(-40).join("\n")}`).join("\n");
  }
}
