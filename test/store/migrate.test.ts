/**
 * The SQLite migration runner: applies a component's migrations in order once,
 * records them, is a no-op when up to date, keeps components sharing a file
 * apart, rolls a failed migration back entirely, and refuses files written by
 * a newer version or by a different migration history.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { openDatabase } from "../../src/store/sqlite/database.ts";
import { SchemaTooNewError, type Migration } from "../../src/store/migrate.ts";
import { migrate, schemaVersion } from "../../src/store/sqlite/migrate.ts";

const m1: Migration = { version: 1, name: "widgets", sql: "CREATE TABLE widgets (id INTEGER PRIMARY KEY)" };
const m2: Migration = { version: 2, name: "widget-names", sql: "ALTER TABLE widgets ADD COLUMN name TEXT" };
const tables = (db: DatabaseSync) => (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe("SQLite migrations", () => {
  let dir: string;
  let n = 0;
  const fresh = () => openDatabase(join(dir, `db-${++n}.sqlite`));
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openjules-migrate-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("applies pending migrations in order, once", () => {
    const db = fresh();
    try {
      assert.deepEqual(migrate(db, "widgets", [m1]), { applied: [1], version: 1 });
      assert.deepEqual(migrate(db, "widgets", [m1, m2]), { applied: [2], version: 2 });
      assert.deepEqual(migrate(db, "widgets", [m1, m2]), { applied: [], version: 2 });
      assert.equal(schemaVersion(db, "widgets"), 2);
      db.prepare("INSERT INTO widgets (name) VALUES ('gear')").run();
      const rows = db.prepare("SELECT component, version, name FROM schema_migrations ORDER BY version").all();
      assert.deepEqual(
        rows.map((r) => ({ ...r })),
        [
          { component: "widgets", version: 1, name: "widgets" },
          { component: "widgets", version: 2, name: "widget-names" },
        ],
      );
    } finally {
      db.close();
    }
  });

  it("keeps components sharing one file independent", () => {
    const db = fresh();
    try {
      migrate(db, "widgets", [m1, m2]);
      migrate(db, "gadgets", [{ version: 1, name: "gadgets", sql: "CREATE TABLE gadgets (id INTEGER PRIMARY KEY)" }]);
      assert.equal(schemaVersion(db, "widgets"), 2);
      assert.equal(schemaVersion(db, "gadgets"), 1);
      assert.equal(schemaVersion(db, "nothing"), 0);
    } finally {
      db.close();
    }
  });

  it("rolls back a failing migration completely", () => {
    const db = fresh();
    try {
      const bad: Migration = { version: 2, name: "broken", sql: "CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1);" };
      assert.throws(() => migrate(db, "widgets", [m1, bad]), /"widgets" migration 2 \(broken\) failed: no such table: nowhere/);
      assert.equal(schemaVersion(db, "widgets"), 0, "nothing recorded, not even migration 1");
      assert.deepEqual(tables(db), ["schema_migrations"]);
      assert.equal(db.isTransaction, false);
    } finally {
      db.close();
    }
  });

  it("refuses a database from a newer version, naming the fix", () => {
    const db = fresh();
    try {
      migrate(db, "widgets", [m1, m2]);
      assert.throws(
        () => migrate(db, "widgets", [m1]),
        (e: unknown) =>
          e instanceof SchemaTooNewError &&
          e.found === 2 &&
          e.supported === 1 &&
          /^The database's "widgets" schema .* newer OpenJules: upgrade OpenJules, or point JULES_DATA_DIR/.test(e.message),
      );
    } finally {
      db.close();
    }
  });

  it("refuses a database whose history differs from the code's", () => {
    const db = fresh();
    try {
      migrate(db, "widgets", [m1]);
      assert.throws(() => migrate(db, "widgets", [{ ...m1, name: "sprockets" }]), /migration 1 is "widgets", but this OpenJules expects "sprockets"/);
    } finally {
      db.close();
    }
  });

  it("rejects a badly numbered migration list before touching the file", () => {
    const db = fresh();
    try {
      assert.throws(() => migrate(db, "widgets", [m2]), /numbered 1, 2, 3/);
      assert.throws(() => migrate(db, "widgets", [m1, { ...m2, version: 3 }]), /position 2 has version 3/);
      assert.throws(() => migrate(db, "Bad Name", [m1]), /Invalid migration component name/);
      assert.deepEqual(tables(db), []);
    } finally {
      db.close();
    }
  });
});
