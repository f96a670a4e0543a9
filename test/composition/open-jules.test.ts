/**
 * The composition root (src/composition/open-jules.ts) as real processes:
 * each mode loads what it needs and no more (a module-load hook records
 * every module), stop() releases everything (the process then exits by
 * itself, without process.exit), and src/main.ts and the `openjules` CLI
 * both run through it.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPrivateKey } from "../helpers/keys.ts";
import { freePort } from "../helpers/web-server.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");
const SRC = `file://${ROOT}/src/`;

let dataRoot: string;
beforeAll(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), "jules-composition-"));
});
afterAll(() => rm(dataRoot, { recursive: true, force: true }));

async function env(name: string): Promise<Record<string, string>> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: "composition-secret",
    JULES_DATA_DIR: join(dataRoot, name),
    HOST: "127.0.0.1",
    PORT: String(await freePort()),
    // Nobody listens there: GET /app fails at once and is asked again later.
    GHE_HOST: "127.0.0.1:9",
    GHE_PROTOCOL: "http",
    JULES_PROVIDER: "openai",
    JULES_MODEL: "gpt-4o",
    OPENAI_API_KEY: "sk-composition-test",
    LOG_LEVEL: "info",
  };
}

interface Run {
  lines: string[];
  code: number | null;
  signal: string | null;
}

/** Runs a process to its end (killed after `ms`); `onLine` may signal it. */
function run(args: string[], environment: Record<string, string>, onLine: (line: string, kill: (s: NodeJS.Signals) => void) => void = () => {}, ms = 60_000): Promise<Run> {
  const child = spawn(NODE, args, { cwd: ROOT, env: environment, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      onLine(line, (s) => child.kill(s));
    });
  }
  const killer = setTimeout(() => child.kill("SIGKILL"), ms);
  return new Promise((resolve) =>
    child.once("close", (code, signal) => {
      clearTimeout(killer);
      resolve({ lines, code, signal });
    }),
  );
}

const jsonLines = (r: Run) => r.lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
const srcModules = (loaded: string[]) => loaded.filter((u) => u.startsWith(SRC)).map((u) => u.slice(SRC.length));
const packages = (loaded: string[]) => new Set(loaded.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));

async function startAndStop(mode: "all" | "web" | "worker") {
  const result = await run([join(ROOT, "test", "helpers", "composition-child.ts"), mode], await env(mode));
  const lines = jsonLines(result);
  const report = lines.find((l) => Array.isArray(l.loaded)) as { loaded: string[]; port: number } | undefined;
  const stopped = lines.find((l) => "stopped" in l);
  if (!report) throw new Error(`the ${mode} process printed no report:\n${result.lines.join("\n")}`);
  return { result, report, stopped, src: srcModules(report.loaded), pkgs: packages(report.loaded) };
}

// Code a process that only takes webhooks must not load: the worker, the agent, the sandbox, workspaces, delivery.
const WORKER_ONLY = /^(agent|sandbox|workspace|worker|delivery|tasks)\//;
// The transcript's path is shared with the task API (GET /api/tasks/:id shows a transcript summary).
const WEB_MAY_LOAD = new Set(["agent/transcript.ts"]);
const LAZY_PACKAGES = ["web-tree-sitter", "tree-sitter-wasms", "openai", "@anthropic-ai/sdk"];

describe("the composition root, per mode", { timeout: 120_000 }, () => {
  it("web loads the webhook server and no worker, agent, sandbox or workspace code, nor pg or BullMQ on the embedded backends", async () => {
    const { result, report, stopped, src, pkgs } = await startAndStop("web");
    expect(src).toContain("composition/open-jules.ts");
    expect(src).toContain("app.ts");
    expect(src).toContain("github/intake.ts");
    expect(src.filter((m) => WORKER_ONLY.test(m) && !WEB_MAY_LOAD.has(m))).toEqual([]);
    for (const name of [...LAZY_PACKAGES, "bullmq", "ioredis", "pg"]) expect(pkgs.has(name), name).toBe(false);
    expect(pkgs.has("probot")).toBe(true);
    expect(report.port).toBeGreaterThan(0);
    expect(stopped).toEqual({ stopped: 0 });
    expect([result.code, result.signal]).toEqual([0, null]);
  });

  it("worker loads the worker, sandbox and workspaces, but the agent, tree-sitter and the model SDKs only when a task needs them", async () => {
    const { result, stopped, src, pkgs } = await startAndStop("worker");
    for (const m of ["worker/jobs.ts", "sandbox/runner.ts", "workspace/manager.ts", "composition/agent.ts"]) expect(src).toContain(m);
    expect(src).not.toContain("composition/web.ts");
    // budget.ts is the budget arithmetic a thread `/jules resume` checks against the operator's caps (no SDK, no loop).
    expect(src.filter((m) => m.startsWith("agent/") && !["agent/transcript.ts", "agent/prices.ts", "agent/port.ts", "agent/budget.ts"].includes(m))).toEqual([]);
    for (const name of LAZY_PACKAGES) expect(pkgs.has(name), name).toBe(false);
    expect(stopped).toEqual({ stopped: 0 });
    expect([result.code, result.signal]).toEqual([0, null]);
  });

  it("all loads both, and stop() leaves nothing open: the process exits by itself", async () => {
    const { result, stopped, src, pkgs } = await startAndStop("all");
    for (const m of ["composition/web.ts", "worker/jobs.ts", "sandbox/runner.ts"]) expect(src).toContain(m);
    for (const name of LAZY_PACKAGES) expect(pkgs.has(name), name).toBe(false);
    expect(stopped).toEqual({ stopped: 0 });
    expect([result.code, result.signal]).toEqual([0, null]);
  });
});

describe("src/main.ts and the openjules CLI run through the composition root", { timeout: 120_000 }, () => {
  const untilReadyThenTerm = (line: string, kill: (s: NodeJS.Signals) => void) => {
    if (line.includes("OpenJules is running")) kill("SIGTERM");
  };
  const ready = (r: Run) => jsonLines(r).find((l) => l.msg === "OpenJules is running");

  for (const [label, args] of [
    ["node src/main.ts web", ["src/main.ts", "web"]],
    ["openjules web", ["bin/openjules.js", "web"]],
    ["openjules worker", ["bin/openjules.js", "worker"]],
  ] as const) {
    it(`${label} starts in its mode and drains on SIGTERM with exit code 0`, async () => {
      const r = await run([...args], await env(label.replace(/\W+/g, "-")), untilReadyThenTerm);
      expect(ready(r), r.lines.join("\n")).toMatchObject({ mode: args[1], provider: "openai" });
      expect(jsonLines(r).some((l) => l.msg === "stopped")).toBe(true);
      expect([r.code, r.signal]).toEqual([0, null]);
    });
  }

  it("a SIGTERM during start-up drains once the process is up, and exits 0", async () => {
    let sent = false;
    const r = await run(["src/main.ts", "all"], await env("early-term"), (line, kill) => {
      if (!sent && line.includes("Running Probot")) {
        sent = true;
        kill("SIGTERM");
      }
    });
    expect(sent, r.lines.join("\n")).toBe(true);
    expect(
      jsonLines(r).some((l) => l.msg === "stopped"),
      r.lines.join("\n"),
    ).toBe(true);
    expect([r.code, r.signal]).toEqual([0, null]);
  });

  it("an unknown mode and bad settings are refused with a message and exit code 1", async () => {
    const bad = await run(["src/main.ts", "sideways"], await env("bad-mode"));
    expect([bad.code, bad.lines.join("\n")]).toEqual([1, 'Unknown mode "sideways": use web, worker, or nothing for both.']);
    const { APP_ID: _, ...noApp } = await env("no-app");
    for (const args of [
      ["src/main.ts", "web"],
      ["bin/openjules.js", "web"],
    ]) {
      const r = await run(args, noApp);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.lines.join("\n")).toMatch(/APP_ID/);
    }
  });
});
