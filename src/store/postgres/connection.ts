/**
 * The connection pool the PostgreSQL task store runs on: DATABASE_URL checked
 * and described without its password (for error messages and logs), result
 * types read the way the shared row mapping expects (timestamptz as ISO 8601
 * text with milliseconds, JSONB as JSON text, bigint as text), an error
 * listener so a dropped idle connection is logged instead of crashing the
 * process, and the one transaction helper the store and migrations share.
 */
import { Pool, TypeOverrides, types as builtinTypes, type PoolClient } from "pg";
import { errorMessage } from "../../domain/error-message.ts";
import type { Logger } from "../../domain/logger.ts";
import { consoleLogger } from "../../log.ts";
import { describeServiceUrl } from "../../security/service-url.ts";

export interface PostgresPoolOptions {
  /** Most connections this process opens. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection before failing. Default 10 s. */
  connectTimeoutMs?: number;
  logger?: Logger;
}

const TIMESTAMPTZ = 1184;
const JSONB = 3802;

const DATABASE_URL = { variable: "DATABASE_URL", protocols: ["postgres:", "postgresql:"], example: "postgres://user:password@host:5432/database" } as const;

/** The URL with its password replaced, safe to print. Throws for something that is not a postgres:// URL. */
export function describeDatabaseUrl(url: string): string {
  return describeServiceUrl(url, DATABASE_URL);
}

function resultTypes(): TypeOverrides {
  const types = new TypeOverrides();
  const toDate: (text: string) => Date = builtinTypes.getTypeParser(TIMESTAMPTZ, "text");
  types.setTypeParser(TIMESTAMPTZ, (text: string) => toDate(text).toISOString());
  types.setTypeParser(JSONB, (text: string) => text);
  return types;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`PostgreSQL option ${name} must be a positive integer, got ${String(value)}.`);
  return v;
}

export function createPool(url: string, options: PostgresPoolOptions = {}): Pool {
  const where = describeDatabaseUrl(url);
  const logger = options.logger ?? consoleLogger("store");
  const pool = new Pool({
    connectionString: url,
    max: positive("maxConnections", options.maxConnections, 10),
    connectionTimeoutMillis: positive("connectTimeoutMs", options.connectTimeoutMs, 10_000),
    application_name: "openjules",
    types: resultTypes(),
  });
  pool.on("error", (error) => logger.error({ database: where, error: error.message }, "An idle PostgreSQL connection failed; the pool opens a new one when needed."));
  return pool;
}

/** Explains a failure to reach the database, naming the (redacted) URL and the setting. */
export function connectionError(url: string, error: unknown): Error {
  const reason = errorMessage(error).replace(/\.$/, "");
  return new Error(
    `Cannot use the PostgreSQL database at ${describeDatabaseUrl(url)} (DATABASE_URL): ${reason}. Check that the server runs, the URL and credentials are right, and the user may create tables.`,
    { cause: error },
  );
}

/**
 * Runs `fn` inside BEGIN ... COMMIT on one pooled connection, rolling back
 * when it throws. A connection whose rollback failed is discarded, not reused.
 */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
