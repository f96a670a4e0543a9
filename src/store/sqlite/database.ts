/**
 * Opens an SQLite database file the way every embedded OpenJules component
 * (task store, job queue) needs it: parent directory created, WAL journal so
 * readers never block the writer, a busy timeout so concurrent writers (other
 * connections or processes) wait instead of failing, foreign keys enforced,
 * full fsync on commit. Also the one transaction helper they share.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface OpenDatabaseOptions {
  /** How long a statement waits for another writer's lock before failing. */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

const isMemory = (path: string): boolean => path === ":memory:" || path === "";

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  if (typeof path !== "string") throw new TypeError("The database path must be a string.");
  const location = isMemory(path) ? ":memory:" : resolve(path);
  let db: DatabaseSync;
  try {
    if (location !== ":memory:") mkdirSync(dirname(location), { recursive: true });
    db = new DatabaseSync(location, {
      timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      enableForeignKeyConstraints: true,
    });
  } catch (error) {
    throw new Error(`Cannot open the database at ${location}: ${(error as Error).message}. Check that the directory (JULES_DATA_DIR) exists and is writable.`, { cause: error });
  }
  try {
    if (location !== ":memory:") {
      const mode = (db.prepare("PRAGMA journal_mode = WAL").get() as { journal_mode?: string } | undefined)?.journal_mode;
      if (mode !== "wal") {
        throw new Error(
          `SQLite could not switch ${location} to WAL journal mode (it reports "${String(mode)}"). Keep JULES_DATA_DIR on a local file system; network file systems are not supported.`,
        );
      }
    }
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The absolute path a database path refers to, used to tell whether two handles share a file. */
export function databaseKey(path: string): string {
  return isMemory(path) ? ":memory:" : resolve(path);
}

/**
 * Runs `fn` inside BEGIN IMMEDIATE ... COMMIT. IMMEDIATE takes the write lock
 * up front (waiting up to the busy timeout), so a read-then-write inside `fn`
 * cannot be invalidated by another writer. Rolls back when `fn` throws.
 */
export function inImmediateTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
