import { execFile } from "node:child_process";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { taskRunner } from "../src/agent/command-runner.ts";
import { prepare, runTests, type TestPhaseOptions } from "../src/agent/test-phase.ts";
import { RepoConfigSchema } from "../src/config/repo-config.ts";
import { createSandboxRunner } from "../src/sandbox/runner.ts";
import { EnvironmentSnapshots } from "../src/sandbox/snapshot/index.ts";
import { git } from "../src/workspace/git.ts";
import { WorkspaceManager } from "../src/workspace/manager.ts";
import { startGitServer } from "../test/helpers/git-server.ts";
import { tempDir } from "../test/helpers/git/workspace-fixture.ts";
import { mb, median } from "./stats.ts";

/**
 * Setup cold vs from an environment snapshot, on a real npm project: a
 * package.json with eight real dependencies (about a hundred packages with
 * theirs), its lockfile resolved from registry.npmjs.org, served as a git
 * repository. Each run is a new task (a fresh worktree and HOME) and times
 * the test phase's prepare() with the real bubblewrap runner and `npm ci`,
 * plus the task's next sandboxed command (`true`, which would hand restored
 * files to the sandbox user if they needed it): cold (no snapshot, an empty
 * npm cache: everything downloaded), the first run that also keeps the
 * snapshot, then runs that start from it (scan of the checkout, key, the
 * ready copy moved in; setup skipped). The store then makes the next ready
 * copy in the background; it is awaited before the next command and reported,
 * not timed (in a real task it overlaps the model's first call).
 * Medians; target: from a snapshot at least 10x faster than cold.
 */

const DEPENDENCIES = { express: "4.21.2", lodash: "4.17.21", chalk: "4.1.2", commander: "12.1.0", dayjs: "1.11.13", uuid: "10.0.0", yargs: "17.7.2", debug: "4.3.7" };
const COLD_RUNS = 3;
const WARM_RUNS = 5;
const TARGET = 10;
const TOKEN = "ghs_benchEnvironmentToken";
const SETUP = "npm ci --no-audit --no-fund";
const CHECK = "node -e \"require('express'); require('lodash'); require('yargs'); console.log('1 passed')\"";
const run = promisify(execFile);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function bytesUnder(root: string): Promise<number> {
  const { stdout } = await run("du", ["-sb", root]);
  return Number(stdout.split("\t")[0]) || 0;
}

interface Run {
  ms: number;
  prepareMs: number;
  nextMs: number;
  backgroundMs: number;
  reused: boolean;
}

export async function benchEnvironment(): Promise<string[]> {
  const base = await tempDir("openjules-bench-env-");
  const server = await startGitServer({ tokens: [TOKEN] });
  const runner = createSandboxRunner({ mode: "bubblewrap", setupNetwork: { mode: "public", allowHosts: [] } });
  let snapshots: EnvironmentSnapshots | undefined;
  try {
    // The lockfile, resolved once from the registry by npm itself (in the sandbox, with setup's network).
    const scratch = join(base, "scratch");
    await git(["init", "--quiet", scratch], { cwd: base });
    const manifest = `${JSON.stringify({ name: "bench-env", version: "1.0.0", private: true, dependencies: DEPENDENCIES }, null, 2)}\n`;
    await writeFile(join(scratch, "package.json"), manifest);
    const lock = await runner.run("npm install --package-lock-only --ignore-scripts --no-audit --no-fund", { cwd: scratch, timeoutMs: 300_000, network: true });
    if (lock.exitCode !== 0) throw new Error(`could not resolve the lockfile from the npm registry (exit ${lock.exitCode}):\n${lock.output.slice(-2000)}`);
    const lockfile = await readFile(join(scratch, "package-lock.json"), "utf8");
    const packages = Object.keys((JSON.parse(lockfile) as { packages: Record<string, unknown> }).packages).filter(Boolean).length;
    const url = await server.createRepo("bench", "env", [
      { files: { "package.json": manifest, "package-lock.json": lockfile, "index.js": "module.exports = require('express');\n" }, message: "project" },
    ]);

    const dataDir = join(base, "data");
    const manager = new WorkspaceManager({ dataDir, cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, sparesPerRepo: 0 });
    const store = new EnvironmentSnapshots({ dataDir, maxBytes: 4 * 1024 ** 3, onWarning: (m) => console.error(`  warning: ${m}`) });
    snapshots = store;
    const config = RepoConfigSchema.parse({ setup: SETUP, test: CHECK, setup_network: "public" });
    let n = 0;

    const task = async (withSnapshots: boolean, check: boolean): Promise<Run> => {
      const ws = await manager.prepare({ taskId: `bench-env-${++n}`, cloneUrl: url, owner: "bench", repo: "env", baseBranch: "main", token: async () => TOKEN });
      try {
        const lines: string[] = [];
        const options: TestPhaseOptions = {
          runner: taskRunner(runner, { home: ws.homeDir, env: {} }),
          timeoutMs: 600_000,
          fixRounds: 0,
          environment: withSnapshots ? store.forTask({ cloneUrl: url, owner: "bench", repo: "env", home: ws.homeDir }) : undefined,
        };
        const { ms: prepareMs, value: note } = await timed(() => prepare(options, ws.dir, config, { activity: (l) => lines.push(l), usage: () => undefined }));
        // The next ready copy is made in the background now; in a task it overlaps the model's first call.
        const { ms: backgroundMs } = await timed(() => store.store.idle());
        const { ms: nextMs } = await timed(async () => options.runner?.run("true", { cwd: ws.dir, timeoutMs: 60_000 }));
        if (note) throw new Error(`setup failed: ${note.slice(0, 2000)}`);
        if (!(await stat(join(ws.dir, "node_modules/express/package.json")).catch(() => null))) throw new Error("node_modules/express is missing after prepare");
        if (check) {
          const tests = await runTests(options, ws.dir, config);
          if (!tests.passed) throw new Error(`the dependencies do not load: ${tests.summary}`);
        }
        return { ms: prepareMs + nextMs, prepareMs, nextMs, backgroundMs, reused: lines.some((l) => l.startsWith("environment reused")) };
      } finally {
        await ws.dispose();
      }
    };

    const cold: Run[] = [];
    for (let i = 0; i < COLD_RUNS; i++) cold.push(await task(false, i === 0));
    const first = await task(true, false);
    const warm: Run[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const next = await task(true, i === 0);
      if (!next.reused) throw new Error("a task with the same lockfile did not start from the snapshot");
      warm.push(next);
    }
    await store.store.idle();
    const size = await bytesUnder(join(dataDir, "environments"));
    const of = (runs: Run[], field: "ms" | "prepareMs" | "nextMs" | "backgroundMs") => median(runs.map((r) => r[field]));
    const ratio = of(cold, "ms") / of(warm, "ms");
    const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
    const each = (runs: Run[]) => runs.map((r) => s(r.ms)).join(", ");
    const parts = (runs: Run[]) => `prepare ${s(of(runs, "prepareMs"))} + next command ${s(of(runs, "nextMs"))}`;
    return [
      `  project: ${Object.keys(DEPENDENCIES).length} dependencies, ${packages} packages in the lockfile; snapshot ${mb(size)} on disk (node_modules + HOME's npm cache, and its ready copy)`,
      `  setup cold (\`${SETUP}\`, empty cache, registry): median ${s(of(cold, "ms"))} of ${COLD_RUNS} (${each(cold)}): ${parts(cold)}`,
      `  first run, also keeping the snapshot:          ${s(first.ms)}`,
      `  from the snapshot (setup skipped):             median ${s(of(warm, "ms"))} of ${WARM_RUNS} (${each(warm)}): ${parts(warm)}`,
      `    and in the background after it, the next task's ready copy: median ${s(of(warm, "backgroundMs"))} (not timed: in a task it overlaps the model's first call)`,
      `  ratio cold / snapshot: ${ratio.toFixed(1)}x (target >= ${TARGET}x: ${ratio >= TARGET ? "met" : "NOT met"}); prepare() alone ${(of(cold, "prepareMs") / of(warm, "prepareMs")).toFixed(0)}x`,
    ];
  } finally {
    await snapshots?.store.idle();
    await server.close();
    await rm(base, { recursive: true, force: true });
  }
}
