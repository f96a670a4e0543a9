/**
 * Scale-out throughput: tasks completed per minute by 1 worker process and by
 * 2 (each with JULES_WORKER_CONCURRENCY=1), everything else the same: one web
 * process, PostgreSQL and Redis (a fresh schema and a flushed Redis database
 * per run), GitHub as the local stand-in, a fake model that answers at once
 * (plan, one edit, finish), and a repository with `approval: auto` whose test
 * suite burns about 1.5 s of CPU (an awk loop) in the bubblewrap sandbox, so
 * one `/jules` runs a task to its pull request. A run sends TASKS deliveries
 * at once and measures from the first task's creation to the last task's
 * `done`, both by the database clock. Target: 2 workers ≥ 1.7× one worker.
 * Also: webhook acknowledgement latency of a web process on the PostgreSQL
 * and Redis backends (see ack-backends.ts, exported from here for run.ts).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostgresStore } from "../src/store/postgres/index.ts";
import { phaseResponder } from "../test/helpers/fake-llm/by-phase.ts";
import { startFakeLlm } from "../test/helpers/fake-llm/server.ts";
import { startGitServer } from "../test/helpers/git-server.ts";
import { INSTALLATION_TOKEN } from "../test/helpers/github-mock.ts";
import { startGitHubStandin, type GitHubStandin } from "../test/helpers/github-standin.ts";
import { JulesProcesses } from "../test/helpers/jules-process.ts";
import { issueComment } from "../test/helpers/payloads.ts";
import { dataDirIn, eventually, processEnv, redisDatabase, valueRepoFiles } from "../test/helpers/scale-out.ts";
import { createTestSchema } from "../test/helpers/services.ts";
import { deliver } from "../test/helpers/signed-delivery.ts";
import { freePort } from "../test/helpers/web-server.ts";

export { benchAckBackends } from "./ack-backends.ts";

const TASKS = 10;
const OWNER = "Codertocat";
const REPO = "Hello-World";
const REDIS_DB = 8;
const TARGET_RATIO = 1.7;
const CPU_SUITE = "awk 'BEGIN { s = 0; for (i = 0; i < 30000000; i++) s += i % 7; print s }'";

interface Run {
  workers: number;
  perMinute: number;
  seconds: number;
  done: number;
}

export async function benchThroughput(): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), "jules-bench-throughput-"));
  await chmod(root, 0o711);
  const git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
  const llm = await startFakeLlm([], {
    respond: phaseResponder({
      plan: { summary: "Set the value to 42.", steps: [{ title: "Write 42 into src/value.txt", files: ["src/value.txt"] }], risks: [], verification: "make test" },
      edit: { path: "src/value.txt", old_string: "41", new_string: "42" },
      summary: "src/value.txt now holds 42.",
    }),
  });
  try {
    const cloneUrl = await git.createRepo(OWNER, REPO, [{ files: valueRepoFiles(CPU_SUITE), message: "initial" }]);
    const one = await measure(1, { root, cloneUrl, llmBaseUrl: llm.openaiBaseUrl });
    const two = await measure(2, { root, cloneUrl, llmBaseUrl: llm.openaiBaseUrl });
    const ratio = two.perMinute / one.perMinute;
    const line = (r: Run) =>
      `  ${r.workers} worker process${r.workers > 1 ? "es" : ""} (concurrency 1 each): ${r.perMinute.toFixed(1)} tasks/min (${r.done}/${TASKS} done in ${r.seconds.toFixed(1)} s)`;
    return [
      `${TASKS} tasks at once (approval: auto; zero-latency model; a test suite of ~1.5 s CPU in the sandbox), web + workers on PostgreSQL and Redis`,
      line(one),
      line(two),
      `  2 workers / 1 worker: ${ratio.toFixed(2)}x (target ≥ ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? "met" : "NOT met"})`,
    ];
  } finally {
    await llm.close();
    await git.close();
    await rm(root, { recursive: true, force: true });
  }
}

async function measure(workers: number, ctx: { root: string; cloneUrl: string; llmBaseUrl: string }): Promise<Run> {
  const schema = await createTestSchema(`bench_throughput_${workers}`);
  const redis = redisDatabase(REDIS_DB);
  await redis.flush();
  const github: GitHubStandin = await startGitHubStandin({ validate: false, configs: { [`${OWNER}/${REPO}`]: "approval: auto\n" } });
  const procs = new JulesProcesses();
  const secret = randomBytes(16).toString("hex");
  const store = await openPostgresStore(schema.url);
  try {
    const env = async (name: string) =>
      processEnv({
        githubHost: github.host,
        llmBaseUrl: ctx.llmBaseUrl,
        databaseUrl: schema.url,
        redisUrl: redis.url,
        secret,
        dataDir: await dataDirIn(ctx.root, `${workers}-${name}`),
        port: await freePort(),
        apiKey: `sk-bench-${name}-0123456789`,
        extra: { JULES_WORKER_CONCURRENCY: "1", JULES_SHUTDOWN_GRACE_MS: "2000" },
      });
    const webEnv = await env("web");
    await Promise.all([
      procs.start("web", "web", webEnv),
      ...Array.from({ length: workers }, async (_, i) => procs.start(`worker-${i + 1}`, "worker", await env(`worker-${i + 1}`))),
    ]);
    const url = `http://127.0.0.1:${webEnv.PORT}/api/github/webhooks`;
    await Promise.all(
      Array.from({ length: TASKS }, async (_, i) => {
        const payload = issueComment({ body: "/jules make the value 42", issueNumber: i + 1 });
        Object.assign(payload.repository, { clone_url: ctx.cloneUrl, default_branch: "main" });
        const answer = await deliver(url, { name: "issue_comment", payload, id: randomUUID(), secret });
        if (answer.status !== 200) throw new Error(`the web process answered ${answer.status}: ${answer.text}`);
      }),
    );
    const tasks = await eventually(
      TASKS * 60_000,
      async () => {
        const all = await store.list({ owner: OWNER, repo: REPO });
        return all.length === TASKS && all.every((t) => ["done", "failed", "cancelled"].includes(t.state)) ? all : undefined;
      },
      `${workers} worker(s) did not finish ${TASKS} tasks`,
      () => procs.outputs(),
    );
    const failed = tasks.find((t) => t.state !== "done");
    if (failed) throw new Error(`a task ended ${failed.state}: ${JSON.stringify(failed.failure)}`);
    const passed = github.requests.filter((r) => r.method === "POST" && /\/check-runs$/.test(r.path) && (r.body as { conclusion?: string }).conclusion === "success").length;
    if (passed !== TASKS) throw new Error(`${passed} of ${TASKS} tasks report passing tests: the CPU-bound suite did not run as intended`);
    const started = Math.min(...tasks.map((t) => Date.parse(t.createdAt)));
    const doneAt = await Promise.all(tasks.map(async (t) => Date.parse((await store.history(t.id)).find((e) => e.to === "done")!.at)));
    const finished = Math.max(...doneAt);
    const seconds = (finished - started) / 1000;
    return { workers, perMinute: (TASKS / seconds) * 60, seconds, done: tasks.length };
  } finally {
    await procs.stopAll();
    await store.close();
    await github.close();
    await redis.flush().catch(() => undefined);
    await schema.drop();
  }
}
