/**
 * Chooses the task store from the settings, the one place that does: with
 * DATABASE_URL set, PostgreSQL (shared by every web and worker process);
 * otherwise the embedded SQLite file under JULES_DATA_DIR, as before. Also the
 * operator's `migrate` command, for either backend.
 */
import { join } from "node:path";
import type { Logger } from "../domain/logger.ts";
import { migrate as migrateSqlite, openDatabase, openSqliteStore, TASKS_COMPONENT, taskMigrations } from "./sqlite/index.ts";
import type { StoreOptions } from "./log.ts";
import type { TaskStore } from "./port.ts";

/** The part of Settings the store needs. */
export interface StoreSettings {
  dataDir: string;
  /** DATABASE_URL: PostgreSQL when set. */
  databaseUrl?: string | undefined;
}

export interface OpenStoreOptions extends StoreOptions {
  /** Where PostgreSQL connection trouble is logged (pino-shaped). */
  logger?: Logger;
}

export type StoreBackend = "sqlite" | "postgres";

export interface MigrateStoreResult {
  backend: StoreBackend;
  /** Versions applied by this call (empty when the schema was up to date). */
  applied: number[];
  version: number;
}

/** The SQLite file the embedded store (and the embedded queue) use. */
export const sqlitePath = (settings: StoreSettings): string => join(settings.dataDir, "openjules.db");

export const storeBackend = (settings: StoreSettings): StoreBackend => (settings.databaseUrl ? "postgres" : "sqlite");

/** Opens the configured store with its schema migrated. */
export async function openStore(settings: StoreSettings, options: OpenStoreOptions = {}): Promise<TaskStore> {
  // pg is loaded only when configured (an embedded process never pays its memory).
  const { logger, ...storeOptions } = options;
  if (settings.databaseUrl) return (await import("./postgres/index.ts")).openPostgresStore(settings.databaseUrl, { ...storeOptions, ...(logger ? { logger } : {}) });
  return openSqliteStore(sqlitePath(settings), storeOptions);
}

/** Applies pending task store migrations and reports what was done. */
export async function migrateStore(settings: StoreSettings, options: OpenStoreOptions = {}): Promise<MigrateStoreResult> {
  if (settings.databaseUrl) {
    const { migratePostgres } = await import("./postgres/index.ts");
    return { backend: "postgres", ...(await migratePostgres(settings.databaseUrl, options.logger ? { logger: options.logger } : {})) };
  }
  const db = openDatabase(sqlitePath(settings));
  try {
    return { backend: "sqlite", ...migrateSqlite(db, TASKS_COMPONENT, taskMigrations) };
  } finally {
    db.close();
  }
}
