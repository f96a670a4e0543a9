/**
 * Versioned schema migrations for the embedded SQLite database (the scheme and
 * its checks: ../migrate.ts). Each component sharing the file (the task store
 * "tasks", the job queue "jobs") keeps its own ordered migration list.
 * `migrate` applies the missing ones in one IMMEDIATE transaction (so two
 * processes opening the file at once cannot both migrate), is a no-op on an
 * up-to-date file, and refuses a file written by a newer OpenJules instead of
 * guessing at a schema it does not know.
 */
import type { DatabaseSync } from "node:sqlite";
import { checkMigrationList, migrationFailed, pendingMigrations, type Migration, type MigrationResult, type SchemaHome } from "../migrate.ts";
import { inImmediateTransaction } from "./database.ts";

const HOME: SchemaHome = { name: "The database", kind: "file", elsewhere: "point JULES_DATA_DIR at another directory" };

const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS schema_migrations (
  component TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (component, version)
) STRICT`;

/** The highest applied version of a component (0 for a fresh file). */
export function schemaVersion(db: DatabaseSync, component: string): number {
  db.exec(BOOKKEEPING);
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations WHERE component = ?").get(component) as { v: number | null };
  return row.v ?? 0;
}

export function migrate(db: DatabaseSync, component: string, migrations: readonly Migration[]): MigrationResult {
  checkMigrationList(component, migrations);
  return inImmediateTransaction(db, () => {
    db.exec(BOOKKEEPING);
    const applied = db.prepare("SELECT version, name FROM schema_migrations WHERE component = ? ORDER BY version").all(component) as { version: number; name: string }[];
    const record = db.prepare("INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)");
    const done: number[] = [];
    for (const m of pendingMigrations(component, migrations, applied, HOME)) {
      try {
        db.exec(m.sql);
      } catch (error) {
        throw migrationFailed(component, m, error);
      }
      record.run(component, m.version, m.name, new Date().toISOString());
      done.push(m.version);
    }
    return { applied: done, version: migrations.length };
  });
}
