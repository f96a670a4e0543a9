/**
 * Shared pieces for running OpenJules as several processes on one machine
 * over PostgreSQL and Redis (the scale-out test and the throughput
 * benchmark): the environment of one process (GitHub at the local stand-in,
 * the model at the fake server, shared DATABASE_URL and REDIS_URL, its own
 * data directory), a Redis database of its own (src/main.ts has no BullMQ
 * prefix setting, so isolation is by database number in REDIS_URL, flushed
 * before and after), a repository whose test passes once src/value.txt holds
 * 42 and the fake model's answers for it, and polling with a deadline.
 */
import { chmod, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import type { PhaseResponderOptions } from "./fake-llm/by-phase.ts";
import { testPrivateKey } from "./keys.ts";
import { TEST_REDIS_URL } from "./services.ts";

export interface ProcessEnvInput {
  githubHost: string;
  llmBaseUrl: string;
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
  port: number;
  secret: string;
  /** Sent as the OpenAI API key: lets the fake model tell which process called. */
  apiKey: string;
  extra?: Record<string, string>;
}

export function processEnv(input: ProcessEnvInput): Record<string, string> {
  return {
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: input.secret,
    HOST: "127.0.0.1",
    PORT: String(input.port),
    GHE_HOST: input.githubHost,
    GHE_PROTOCOL: "http",
    DATABASE_URL: input.databaseUrl,
    REDIS_URL: input.redisUrl,
    JULES_DATA_DIR: input.dataDir,
    JULES_PROVIDER: "openai",
    JULES_MODEL: "gpt-4o",
    OPENAI_API_KEY: input.apiKey,
    OPENAI_BASE_URL: input.llmBaseUrl,
    JULES_GITHUB_WRITE_INTERVAL_MS: "0",
    JULES_WORKSPACE_SPARES: "0",
    JULES_SANDBOX_MEMORY_MB: "1024",
    JULES_COMMAND_TIMEOUT_MIN: "2",
    ...input.extra,
  };
}

/** A data directory the sandbox user can reach (0o711, like its parent must be when running as root). */
export async function dataDirIn(root: string, name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o711);
  return dir;
}

export interface RedisDatabase {
  /** TEST_REDIS_URL with the database number as its path. */
  url: string;
  flush(): Promise<void>;
}

/** Redis database `db` (1-15) for one test or benchmark; `flush()` empties it. */
export function redisDatabase(db: number): RedisDatabase {
  const url = new URL(TEST_REDIS_URL);
  url.pathname = `/${db}`;
  return {
    url: url.toString(),
    async flush() {
      const redis = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 2 });
      try {
        await redis.connect();
        await redis.flushdb();
      } finally {
        redis.disconnect();
      }
    },
  };
}

export const TEST_SH = '#!/bin/sh\nvalue=$(cat src/value.txt)\nif [ "$value" = "42" ]; then echo "1 passed, 0 failed"; else echo "expected 42, got $value"; exit 1; fi\n';

/** A repository whose `make test` passes once src/value.txt holds 42; `extraTest` runs first (e.g. a CPU-bound suite). */
export function valueRepoFiles(extraTest = ""): Record<string, string> {
  return {
    "README.md": "# Value\n",
    "src/value.txt": "41\n",
    "test.sh": TEST_SH,
    Makefile: `test:\n${extraTest ? `\t${extraTest}\n` : ""}\tsh test.sh\n`,
  };
}

/** What the fake model answers by phase (fake-llm/by-phase.ts) for valueRepoFiles(): a plan and the edit that makes the test pass. */
export const VALUE_ANSWERS: Omit<PhaseResponderOptions, "executionDelayMs"> = {
  plan: {
    summary: "Set the value to 42 so the test passes.",
    steps: [{ title: "Write 42 into src/value.txt", files: ["src/value.txt"] }],
    risks: [],
    verification: "make test",
  },
  edit: { path: "src/value.txt", old_string: "41", new_string: "42" },
  summary: "src/value.txt now holds 42, which the test expects.",
};

/** Polls `read` until it returns something other than undefined; fails with `message` (and `detail()`) after `ms`. */
export async function eventually<T>(ms: number, read: () => T | undefined | Promise<T | undefined>, message: string, detail: () => string = () => ""): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${message} (waited ${ms} ms)\n${detail()}`);
    await sleep(250);
  }
}
