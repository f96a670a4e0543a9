/**
 * Versioned schema migrations for PostgreSQL, the same scheme as SQLite's
 * (the scheme and its checks: ../migrate.ts). `migrate` applies
 * the missing ones in one transaction (PostgreSQL DDL is transactional, so a
 * failing migration leaves nothing behind) under a transaction-scoped advisory
 * lock keyed by the schema, so processes starting together wait for each
 * other instead of racing; it is a no-op on an up-to-date database and refuses
 * one written by a newer OpenJules.
 */
import type { Pool } from "pg";
import { checkMigrationList, migrationFailed, pendingMigrations, type Migration, type MigrationResult, type SchemaHome } from "../migrate.ts";
import { inTransaction } from "./connection.ts";

const HOME: SchemaHome = { name: "The PostgreSQL database", kind: "database", elsewhere: "point DATABASE_URL at another database" };

const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS schema_migrations (
  component text NOT NULL,
  version integer NOT NULL,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (component, version)
)`;

/** One lock per schema: migrations of different schemas (or databases) do not wait for each other. */
const LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('openjules:migrations:' || current_schema(), 0))";

/** The highest applied version of a component (0 when none was applied, or the table does not exist yet). */
export async function schemaVersion(pool: Pool, component: string): Promise<number> {
  const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!exists.rows[0]?.t) return 0;
  const result = await pool.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations WHERE component = $1", [component]);
  return result.rows[0]?.v ?? 0;
}

export async function migrate(pool: Pool, component: string, migrations: readonly Migration[]): Promise<MigrationResult> {
  checkMigrationList(component, migrations);
  return inTransaction(pool, async (client) => {
    await client.query(LOCK);
    await client.query(BOOKKEEPING);
    const { rows: applied } = await client.query<{ version: number; name: string }>("SELECT version, name FROM schema_migrations WHERE component = $1 ORDER BY version", [
      component,
    ]);
    const done: number[] = [];
    for (const m of pendingMigrations(component, migrations, applied, HOME)) {
      try {
        await client.query(m.sql);
      } catch (error) {
        throw migrationFailed(component, m, error);
      }
      await client.query("INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)", [component, m.version, m.name]);
      done.push(m.version);
    }
    return { applied: done, version: migrations.length };
  });
}
