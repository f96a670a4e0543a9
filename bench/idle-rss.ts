/**
 * Idle memory per mode: `src/main.ts all` (as `npm start` runs it: webhooks
 * and a worker), `web` (the webhook server only) and `worker`, each in its
 * own process on the embedded backends with an LLM provider configured (so
 * the worker's agent is set up as in production), beside a bare Probot app
 * (bench/ack-baseline.ts with an empty handler) measured in the same run.
 * RSS is read from outside each process 2 s after it is ready (median of 5
 * samples, 200 ms apart); the processes run one at a time so they do not
 * share the machine. Target: `all` < 150 MB.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { testPrivateKey } from "../test/helpers/keys.ts";
import { freePort } from "../test/helpers/web-server.ts";
import { startLocalGitHub } from "./local-github.ts";
import { startServerProcess, type ServerProcessOptions } from "./server-process.ts";
import { mb, median } from "./stats.ts";

const TARGET_RSS_BYTES = 150 * 1024 ** 2;
const MODES = ["all", "web", "worker"] as const;

export async function benchIdleRss(): Promise<string[]> {
  const secret = randomBytes(16).toString("hex");
  const dataRoot = await mkdtemp(join(tmpdir(), "jules-bench-rss-"));
  const github = await startLocalGitHub(0);
  const common = { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: secret, HOST: "127.0.0.1", LOG_LEVEL: "info", GHE_HOST: github.host, GHE_PROTOCOL: "http" };
  try {
    const idle = async (options: ServerProcessOptions): Promise<number> => {
      const server = await startServerProcess(options);
      try {
        await sleep(2_000);
        const values: number[] = [];
        for (let i = 0; i < 5; i++) {
          if (i > 0) await sleep(200);
          values.push(server.rssBytes());
        }
        return median(values);
      } finally {
        await server.stop();
      }
    };
    const bare = await idle({ script: "bench/ack-baseline.ts", env: { ...common, PORT: String(await freePort()), INLINE_WORK: "none" }, readyMessage: "baseline is running" });
    const lines = [`idle RSS after start-up (embedded backends, provider openai), beside a bare Probot app measured in this run: ${mb(bare)}`];
    for (const mode of MODES) {
      const env = {
        ...common,
        PORT: String(await freePort()),
        JULES_DATA_DIR: join(dataRoot, mode),
        JULES_PROVIDER: "openai",
        JULES_MODEL: "gpt-4.1-mini",
        OPENAI_API_KEY: "sk-bench-not-a-real-key",
        OPENAI_BASE_URL: `http://${github.host}/v1`,
      };
      const rss = await idle({ script: "src/main.ts", args: [mode], env, readyMessage: "OpenJules is running" });
      const target = mode === "all" ? `  (target < ${mb(TARGET_RSS_BYTES)}: ${rss < TARGET_RSS_BYTES ? "met" : "NOT met"})` : "";
      lines.push(`  src/main.ts ${mode.padEnd(6)} ${mb(rss)}  (+${mb(rss - bare)} over bare Probot)${target}`);
    }
    return lines;
  } finally {
    await github.close();
    await rm(dataRoot, { recursive: true, force: true });
  }
}

if (import.meta.main) for (const line of await benchIdleRss()) console.log(line);
