/**
 * Webhook acknowledgement latency with the scale-out backends: a web process
 * (`src/main.ts web`, no worker) on PostgreSQL (DATABASE_URL, a fresh schema)
 * and Redis (REDIS_URL, a flushed database of its own), the intake enqueueing
 * each command durably into BullMQ. Like webhook-ack.ts does for the embedded
 * backend: rounds of 50 concurrent signed `issue_comment.created` deliveries
 * (a real payload carrying a `/jules` command, a distinct comment id each)
 * over loopback, p50 and p99 per round, medians over rounds; GitHub is the
 * local stand-in that counts requests, to show acknowledging made none.
 * Target: p99 < 50 ms.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { testPrivateKey } from "../test/helpers/keys.ts";
import { issueComment } from "../test/helpers/payloads.ts";
import { redisDatabase } from "../test/helpers/scale-out.ts";
import { createTestSchema } from "../test/helpers/services.ts";
import { deliver } from "../test/helpers/signed-delivery.ts";
import { freePort } from "../test/helpers/web-server.ts";
import { startLocalGitHub } from "./local-github.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";
import { median, ms, percentile } from "./stats.ts";

const CONCURRENCY = 50;
const WARMUP_ROUNDS = 2;
const ROUNDS = 9;
const TARGET_P99_MS = 50;
const REDIS_DB = 9;
const COMMAND = "/jules fix the flaky test in the config loader";

export async function benchAckBackends(): Promise<string[]> {
  const secret = randomBytes(16).toString("hex");
  const dataDir = await mkdtemp(join(tmpdir(), "jules-bench-ack-backends-"));
  await chmod(dataDir, 0o711);
  const schema = await createTestSchema("bench_ack");
  const redis = redisDatabase(REDIS_DB);
  await redis.flush();
  const github = await startLocalGitHub(100);
  let web: ServerProcess | null = null;
  try {
    const port = await freePort();
    web = await startServerProcess({
      script: "src/main.ts",
      args: ["web"],
      env: {
        APP_ID: "1",
        PRIVATE_KEY: testPrivateKey(),
        WEBHOOK_SECRET: secret,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "info",
        JULES_DATA_DIR: dataDir,
        GHE_HOST: github.host,
        GHE_PROTOCOL: "http",
        DATABASE_URL: schema.url,
        REDIS_URL: redis.url,
        JULES_PROVIDER: "openai",
        JULES_MODEL: "gpt-4.1-mini",
        OPENAI_API_KEY: "sk-bench-not-a-real-key",
        OPENAI_BASE_URL: `http://${github.host}/v1`,
      },
      readyMessage: "OpenJules is running",
    });
    const url = `http://127.0.0.1:${port}/api/github/webhooks`;
    let commentId = 80_000_000;
    const rounds: { p50: number; p99: number }[] = [];
    const before = github.requests();
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      const deliveries = Array.from({ length: CONCURRENCY }, () => ({ name: "issue_comment", payload: issueComment({ body: COMMAND, commentId: commentId++ }), secret }));
      const answers = await Promise.all(deliveries.map((d) => deliver(url, d)));
      const refused = answers.find((a) => a.status !== 200);
      if (refused) throw new Error(`the web process answered ${refused.status}: ${refused.text.slice(0, 200)}`);
      const latencies = answers.map((a) => a.ms);
      if (round >= WARMUP_ROUNDS) rounds.push({ p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
    }
    const during = github.requests() - before;
    const queued = await queuedJobs(redis.url);
    const p50 = median(rounds.map((r) => r.p50));
    const p99 = median(rounds.map((r) => r.p99));
    const sent = (WARMUP_ROUNDS + ROUNDS) * CONCURRENCY;
    return [
      `${CONCURRENCY} concurrent signed issue_comment deliveries to src/main.ts web on PostgreSQL + Redis (BullMQ); medians over ${ROUNDS} rounds (after ${WARMUP_ROUNDS} warm-up rounds)`,
      `  p50 ${ms(p50)}  p99 ${ms(p99)}  (target p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? "met" : "NOT met"})`,
      `  ${queued} of ${sent} deliveries queued durably in Redis, with ${during} GitHub requests while answering`,
    ];
  } finally {
    await web?.stop();
    await github.close();
    await redis.flush().catch(() => undefined);
    await schema.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Jobs waiting in the app's BullMQ queue (prefix "openjules", queue "jobs": the defaults main.ts uses). */
async function queuedJobs(url: string): Promise<number> {
  const queue = new Queue("jobs", { connection: { url }, prefix: "openjules" });
  try {
    const counts = await queue.getJobCounts("wait", "delayed", "prioritized", "waiting-children");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}
