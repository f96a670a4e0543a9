/**
 * What both store backends share (src/store/migrate.ts, src/store/rows.ts):
 * the checks of a migration list against what a database has applied, and
 * that the PostgreSQL store takes them from there, not from the SQLite store.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { checkMigrationList, migrationFailed, pendingMigrations, SchemaTooNewError, type Migration, type SchemaHome } from "../../src/store/migrate.ts";

const m1: Migration = { version: 1, name: "widgets", sql: "CREATE TABLE widgets (id integer)" };
const m2: Migration = { version: 2, name: "widget-names", sql: "ALTER TABLE widgets ADD COLUMN name text" };
const home: SchemaHome = { name: "The test database", kind: "database", elsewhere: "point TEST_URL at another database" };

describe("the migration checks both backends share", () => {
  it("gives the migrations a database has not applied yet", () => {
    expect(pendingMigrations("widgets", [m1, m2], [], home)).toEqual([m1, m2]);
    expect(pendingMigrations("widgets", [m1, m2], [{ version: 1, name: "widgets" }], home)).toEqual([m2]);
    expect(
      pendingMigrations(
        "widgets",
        [m1, m2],
        [
          { version: 1, name: "widgets" },
          { version: 2, name: "widget-names" },
        ],
        home,
      ),
    ).toEqual([]);
  });

  it("refuses a schema from a newer OpenJules, naming where it lives and the fix", () => {
    const tooNew = () =>
      pendingMigrations(
        "widgets",
        [m1],
        [
          { version: 1, name: "widgets" },
          { version: 2, name: "widget-names" },
        ],
        home,
      );
    expect(tooNew).toThrow(SchemaTooNewError);
    expect(tooNew).toThrow(
      `The test database's "widgets" schema is at version 2, but this OpenJules only knows versions up to 1. It was migrated by a newer OpenJules: upgrade OpenJules, or point TEST_URL at another database.`,
    );
    try {
      tooNew();
    } catch (error) {
      expect(error).toMatchObject({ name: "SchemaTooNewError", component: "widgets", found: 2, supported: 1 });
    }
  });

  it("refuses a history that differs from the code's", () => {
    expect(() => pendingMigrations("widgets", [{ ...m1, name: "sprockets" }], [{ version: 1, name: "widgets" }], home)).toThrow(
      `The test database's "widgets" migration 1 is "widgets", but this OpenJules expects "sprockets". The database was not created by this OpenJules.`,
    );
  });

  it("rejects a badly numbered or unnamed list, and names a failed migration", () => {
    expect(() => checkMigrationList("widgets", [m2])).toThrow(/numbered 1, 2, 3/);
    expect(() => checkMigrationList("Bad Name", [m1])).toThrow(/Invalid migration component name/);
    expect(() => checkMigrationList("widgets", [{ ...m1, sql: " " }])).toThrow(/migration 1 needs a name and SQL/);
    const cause = new Error("no such table: nowhere");
    const failed = migrationFailed("widgets", m2, cause);
    expect(failed.message).toBe(`The "widgets" migration 2 (widget-names) failed: no such table: nowhere`);
    expect(failed.cause).toBe(cause);
  });
});

describe("the PostgreSQL store", () => {
  it("imports nothing of the SQLite store (what both use lives in src/store/)", () => {
    const dir = join(import.meta.dirname, "../../src/store/postgres");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(5);
    const intoSqlite = files.flatMap((file) =>
      ts
        .preProcessFile(readFileSync(join(dir, file), "utf8"), true, true)
        .importedFiles.map((ref) => ref.fileName)
        .filter((spec) => spec.includes("sqlite/"))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(intoSqlite).toEqual([]);
  });
});
