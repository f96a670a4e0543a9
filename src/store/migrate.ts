/**
 * The migration scheme both store backends (and the embedded queue, which
 * shares SQLite's file) follow: each component keeps an ordered migration
 * list, `schema_migrations` records which (component, version) pairs were
 * applied, and a database is migrated only when what it has applied is a
 * prefix of the code's list. Each backend runs the pending migrations in its
 * own transaction (sqlite/migrate.ts, postgres/migrate.ts); the checks and
 * their errors are here, once.
 */
import { errorMessage } from "../domain/error-message.ts";

/** The task store's component in `schema_migrations`, on both backends. */
export const TASKS_COMPONENT = "tasks";

export interface Migration {
  /** 1, 2, 3, ... with no gaps: the order in which migrations apply. */
  version: number;
  /** Short kebab-case label, recorded with the version. */
  name: string;
  /** Statements to run; they must not open or close transactions themselves. */
  sql: string;
}

export interface MigrationResult {
  /** Versions applied by this call (empty when the database was up to date). */
  applied: number[];
  version: number;
}

/** Where a backend keeps its schema, as its errors name it. */
export interface SchemaHome {
  /** "The database" (SQLite's file), "The PostgreSQL database". */
  name: string;
  /** What it is, in "The file was not created by this OpenJules". */
  kind: string;
  /** The fix besides upgrading: "point JULES_DATA_DIR at another directory". */
  elsewhere: string;
}

export class SchemaTooNewError extends Error {
  readonly component: string;
  readonly found: number;
  readonly supported: number;
  constructor(component: string, found: number, supported: number, home: SchemaHome) {
    super(
      `${home.name}'s "${component}" schema is at version ${found}, but this OpenJules only knows versions up to ${supported}. ` +
        `It was migrated by a newer OpenJules: upgrade OpenJules, or ${home.elsewhere}.`,
    );
    this.name = "SchemaTooNewError";
    this.component = component;
    this.found = found;
    this.supported = supported;
  }
}

export function checkMigrationList(component: string, migrations: readonly Migration[]): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(component)) throw new Error(`Invalid migration component name "${component}".`);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`The "${component}" migrations must be numbered 1, 2, 3, ... in order; position ${i + 1} has version ${m.version}.`);
    }
    if (!m.name.trim() || !m.sql.trim()) throw new Error(`The "${component}" migration ${m.version} needs a name and SQL.`);
  });
}

/**
 * The migrations still to apply, given the rows of `schema_migrations` for the
 * component (in version order). Throws for a schema newer than the list, or a
 * history that is not the list's.
 */
export function pendingMigrations(component: string, migrations: readonly Migration[], applied: ReadonlyArray<{ version: number; name: string }>, home: SchemaHome): Migration[] {
  const current = applied.at(-1)?.version ?? 0;
  if (current > migrations.length) throw new SchemaTooNewError(component, current, migrations.length, home);
  for (const row of applied) {
    const expected = migrations[row.version - 1];
    if (expected?.name !== row.name) {
      throw new Error(
        `${home.name}'s "${component}" migration ${row.version} is "${row.name}", but this OpenJules expects "${expected?.name ?? "nothing"}". The ${home.kind} was not created by this OpenJules.`,
      );
    }
  }
  return migrations.slice(current);
}

/** The error of a migration whose SQL failed (the backend's transaction undoes it). */
export function migrationFailed(component: string, migration: Migration, error: unknown): Error {
  return new Error(`The "${component}" migration ${migration.version} (${migration.name}) failed: ${errorMessage(error)}`, { cause: error });
}
