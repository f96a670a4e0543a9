/**
 * Versioned schema migrations for the embedded SQLite database. Each component
 * sharing the file (the task store "tasks", the job queue "jobs") keeps its own
 * ordered migration list; `schema_migrations` records which (component,
 * version) pairs were applied. `migrate` applies the missing ones in one
 * IMMEDIATE transaction (so two processes opening the file at once cannot both
 * migrate), is a no-op on an up-to-date file, and refuses a file written by a
 * newer OpenJules instead of guessing at a schema it does not know.
 */
import type { DatabaseSync } from "node:sqlite";
import { inImmediateTransaction } from "./database.ts";

export interface Migration {
  /** 1, 2, 3, ... with no gaps: the order in which migrations apply. */
  version: number;
  /** Short kebab-case label, recorded with the version. */
  name: string;
  /** Statements to run; they must not open or close transactions themselves. */
  sql: string;
}

export interface MigrationResult {
  /** Versions applied by this call (empty when the file was up to date). */
  applied: number[];
  version: number;
}

export class SchemaTooNewError extends Error {
  readonly component: string;
  readonly found: number;
  readonly supported: number;
  constructor(component: string, found: number, supported: number) {
    super(
      `The database's "${component}" schema is at version ${found}, but this OpenJules only knows versions up to ${supported}. ` +
        "It was written by a newer OpenJules: upgrade OpenJules, or point JULES_DATA_DIR at another directory.",
    );
    this.name = "SchemaTooNewError";
    this.component = component;
    this.found = found;
    this.supported = supported;
  }
}

const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS schema_migrations (
  component TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (component, version)
) STRICT`;

export function checkMigrationList(component: string, migrations: readonly Migration[]): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(component)) throw new Error(`Invalid migration component name "${component}".`);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`The "${component}" migrations must be numbered 1, 2, 3, ... in order; position ${i + 1} has version ${m.version}.`);
    }
    if (!m.name.trim() || !m.sql.trim()) throw new Error(`The "${component}" migration ${m.version} needs a name and SQL.`);
  });
}

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
    const applied = db
      .prepare("SELECT version, name FROM schema_migrations WHERE component = ? ORDER BY version")
      .all(component) as { version: number; name: string }[];
    const current = applied.at(-1)?.version ?? 0;
    if (current > migrations.length) throw new SchemaTooNewError(component, current, migrations.length);
    for (const row of applied) {
      const expected = migrations[row.version - 1];
      if (expected?.name !== row.name) {
        throw new Error(
          `The database's "${component}" migration ${row.version} is "${row.name}", but this OpenJules expects "${expected?.name ?? "nothing"}". The file was not created by this OpenJules.`,
        );
      }
    }
    const record = db.prepare("INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)");
    const done: number[] = [];
    for (const m of migrations.slice(current)) {
      try {
        db.exec(m.sql);
      } catch (error) {
        throw new Error(`The "${component}" migration ${m.version} (${m.name}) failed: ${(error as Error).message}`, { cause: error });
      }
      record.run(component, m.version, m.name, new Date().toISOString());
      done.push(m.version);
    }
    return { applied: done, version: migrations.length };
  });
}
