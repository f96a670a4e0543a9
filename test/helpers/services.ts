/**
 * The real PostgreSQL and Redis that the scale-out tests run against, and the
 * isolation that lets many test files share them at once: a fresh PostgreSQL
 * schema per test file (selected through the connection's search_path, and
 * dropped at the end), and a unique BullMQ key prefix per test (its keys
 * removed at the end). URLs come from TEST_DATABASE_URL and TEST_REDIS_URL, or
 * default to the services scripts/ensure-services.sh starts on 127.0.0.1.
 */
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { Pool } from "pg";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";

const suffix = () => randomBytes(5).toString("hex");

export interface TestSchema {
  name: string;
  /** TEST_DATABASE_URL with `options=-c search_path=<name>`: every connection opened from it works in the schema. */
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/** Creates an empty schema with a unique name; `drop()` removes it with everything in it. */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const name = `oj_${label.toLowerCase().replace(/[^a-z0-9]+/g, "_")}_${suffix()}`;
  await admin((pool) => pool.query(`CREATE SCHEMA "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    drop: () => admin((pool) => pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)).then(() => undefined),
  };
}

/** A BullMQ key prefix no other test uses. */
export const uniquePrefix = (label: string): string => `ojtest-${label.replace(/[^A-Za-z0-9-]+/g, "-")}-${suffix()}`;

/** Deletes every Redis key of the queue `queueName` under `prefix`. */
export async function removeQueueData(prefix: string, queueName = "jobs"): Promise<void> {
  const queue = new Queue(queueName, { connection: { url: TEST_REDIS_URL }, prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}
