import { rm } from "node:fs/promises";
import { join } from "node:path";
import { git } from "../src/workspace/git.ts";
import { WorkspaceManager } from "../src/workspace/manager.ts";
import type { CommitSpec } from "../test/helpers/git/fast-import.ts";
import { startGitServer } from "../test/helpers/git-server.ts";
import { tempDir } from "../test/helpers/git/workspace-fixture.ts";

/**
 * Workspace preparation on a generated repository (20,000 files, 2,000
 * commits, written with `git fast-import`), served by the real smart-HTTP test
 * server with token checking: a fresh full `git clone` (what a naive agent
 * does per task) and `git clone --depth 1` (the cheapest checkout git offers)
 * vs our cold path (first task on the repository: ls-remote, the tip fetched
 * into the mirror, size check, worktree) vs our warm path (a repository seen
 * before: ls-remote + recycled worktree). Medians of a few runs, the clones and
 * the cold path interleaved; every ratio is against the baselines of the same
 * run. Targets: cold no slower than `git clone --depth 1` (<= 1.0x), warm at
 * least 20x faster than a fresh clone.
 */

const FILES = 20_000;
const COMMITS = 2_000;
const RUNS = 3;
const TOKEN = "ghs_benchToken";
const WORDS = ["const", "return", "function", "value", "index", "export", "import", "await", "config", "result", "error", "string", "number", "items", "length", "options"];

/** Deterministic pseudo-source text of varying size (200 B to 4 KB). */
function source(seed: number, revision: number): string {
  let x = (seed * 2654435761 + revision * 40503) >>> 0;
  const next = () => (x = (x * 1103515245 + 12345) >>> 0);
  const lines = 5 + (next() % 100);
  let out = `// file ${seed} revision ${revision}\n`;
  for (let i = 0; i < lines; i++) {
    const words = Array.from({ length: 3 + (next() % 6) }, () => WORDS[next() % WORDS.length]);
    out += `${"  ".repeat(next() % 3)}${words.join(" ")} ${next() % 10_000};\n`;
  }
  return out;
}

const pathOf = (i: number) => `packages/pkg${i % 50}/src/module${Math.floor(i / 50) % 40}/file${i}.ts`;

function* history(): Generator<CommitSpec> {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[pathOf(i)] = source(i, 0);
  yield { files, message: "initial import" };
  for (let c = 1; c < COMMITS; c++) {
    const changed: Record<string, string> = {};
    for (let k = 0; k < 10; k++) {
      const i = (c * 7919 + k * 104_729) % FILES;
      changed[pathOf(i)] = source(i, c);
    }
    yield { files: changed, message: `change ${c}` };
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export async function benchWorkspace(): Promise<string[]> {
  const server = await startGitServer({ tokens: [TOKEN] });
  const root = await tempDir("openjules-bench-ws-");
  try {
    const generation = await timed(() => server.createRepo("bench", "big", history()));
    const url = server.repoUrl("bench", "big");
    const token = async () => TOKEN;
    const request = (taskId: string) => ({ taskId, cloneUrl: url, owner: "bench", repo: "big", baseBranch: "main", token });
    const options = { cacheMaxBytes: 10 * 1024 ** 3, repoMaxBytes: 5 * 1024 ** 3 };

    const clone = async (dir: string, extra: string[]): Promise<number> => {
      const elapsed = await timed(() => git(["clone", "--quiet", ...extra, url, dir], { cwd: root, auth: { remoteUrl: url, token } }));
      await rm(dir, { recursive: true, force: true });
      return elapsed;
    };

    /** Times prepare() only; dispose() is not on the path to a plan. */
    const prepareTime = async (manager: WorkspaceManager, taskId: string): Promise<number> => {
      const start = performance.now();
      const workspace = await manager.prepare(request(taskId));
      const elapsed = performance.now() - start;
      await workspace.dispose();
      return elapsed;
    };

    // Interleaved, one of each per round, so a change in the machine's load falls on the baselines and the cold path alike.
    const fresh: number[] = [];
    const shallow: number[] = [];
    const cold: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      fresh.push(await clone(join(root, `clone-${run}`), []));
      shallow.push(await clone(join(root, `shallow-${run}`), ["--depth", "1"]));
      const dataDir = join(root, `cold-${run}`);
      cold.push(await prepareTime(new WorkspaceManager({ dataDir, ...options }), `cold-${run}`));
      await rm(dataDir, { recursive: true, force: true });
    }

    const manager = new WorkspaceManager({ dataDir: join(root, "warm"), ...options });
    await prepareTime(manager, "warm-prime");
    const warm: number[] = [];
    for (let run = 0; run < RUNS; run++) warm.push(await prepareTime(manager, `warm-${run}`));

    const [f, s, c, w] = [median(fresh), median(shallow), median(cold), median(warm)];
    const ratio = f / w;
    return [
      `workspace: generated ${FILES} files, ${COMMITS} commits in ${ms(generation)} (git fast-import), served over smart HTTP`,
      `workspace: fresh full clone      ${ms(f)} (median of ${RUNS}: ${fresh.map(ms).join(", ")})`,
      `workspace: git clone --depth 1   ${ms(s)} (median of ${RUNS}: ${shallow.map(ms).join(", ")})`,
      `workspace: our cold path         ${ms(c)} (median of ${RUNS}: ${cold.map(ms).join(", ")}; ${(c / s).toFixed(2)}x the time of a depth-1 clone, ${(c / f).toFixed(2)}x a full clone)`,
      `workspace: our warm path         ${ms(w)} (median of ${RUNS}: ${warm.map(ms).join(", ")}; ${ratio.toFixed(1)}x faster than a fresh clone; ls-remote + recycled worktree)`,
      `workspace: target cold <= 1.0x git clone --depth 1 (same run): ${c <= s ? "met" : "NOT met"} (${(c / s).toFixed(2)}x)`,
      `workspace: target warm >= 20x faster than a fresh clone (same run): ${ratio >= 20 ? "met" : "NOT met"} (${ratio.toFixed(1)}x)`,
    ];
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.main) for (const line of await benchWorkspace()) console.log(line);
