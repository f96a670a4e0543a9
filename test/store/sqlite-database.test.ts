/**
 * What only the SQLite store has to show: the file set-up (parent directory,
 * WAL, foreign keys, busy timeout), migrations at open (idempotent, too-new
 * refused), a schema that accepts every task state. The one-approval rule
 * between separate OS processes is a contract case (contract-processes.ts).
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { TASK_STATES } from "../../src/domain/model.ts";
import { openDatabase } from "../../src/store/sqlite/database.ts";
import { SchemaTooNewError } from "../../src/store/migrate.ts";
import { migrate } from "../../src/store/sqlite/migrate.ts";
import { taskMigrations } from "../../src/store/sqlite/migrations/all.ts";
import { openSqliteStore, SqliteTaskStore } from "../../src/store/sqlite/sqlite-task-store.ts";
import {
  approvedBeforeMigration3,
  assertAccountsAfterMigration6,
  assertAskAfterMigration8,
  assertOwnKeyAfterMigration7,
  assertApprovalKindsAfterMigration3,
  assertHistoryAfterMigration5,
  assertUpgradedTask,
  newTask,
} from "./fixtures.ts";

const LATEST = taskMigrations.length;
/**
 * Today's store writes the command word (migration 4), the face, model and
 * idempotency key, the history's face and the event log (migration 5) when it
 * creates a task; old files are made with them by adding those for the
 * writing and dropping them again, so the file is as an older OpenJules left it.
 */
const TODAYS_WRITER_COLUMNS = `ALTER TABLE tasks ADD COLUMN command TEXT NOT NULL DEFAULT 'jules';
ALTER TABLE tasks ADD COLUMN face TEXT; ALTER TABLE tasks ADD COLUMN model TEXT;
ALTER TABLE tasks ADD COLUMN idempotency_key TEXT; ALTER TABLE tasks ADD COLUMN idempotency_digest TEXT;
ALTER TABLE tasks ADD COLUMN own_key TEXT; ALTER TABLE tasks ADD COLUMN ask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE task_events ADD COLUMN face TEXT;
CREATE TABLE task_log_events (id INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT, at TEXT, type TEXT, data TEXT);`;
const AS_THE_OLD_SCHEMA = `ALTER TABLE tasks DROP COLUMN command; ALTER TABLE tasks DROP COLUMN face; ALTER TABLE tasks DROP COLUMN model;
ALTER TABLE tasks DROP COLUMN idempotency_key; ALTER TABLE tasks DROP COLUMN idempotency_digest; ALTER TABLE tasks DROP COLUMN own_key;
ALTER TABLE tasks DROP COLUMN ask;
ALTER TABLE task_events DROP COLUMN face; DROP TABLE task_log_events;`;
/** Today's writer on a file from before migration 7 (own keys), and back. */
const OWN_KEY_COLUMN = "ALTER TABLE tasks ADD COLUMN own_key TEXT; ALTER TABLE tasks ADD COLUMN ask INTEGER NOT NULL DEFAULT 0;";
const WITHOUT_OWN_KEY = "ALTER TABLE tasks DROP COLUMN own_key; ALTER TABLE tasks DROP COLUMN ask;";
/** Today's writer on a file from before migration 8 (questions), and back. */
const ASK_COLUMN = "ALTER TABLE tasks ADD COLUMN ask INTEGER NOT NULL DEFAULT 0;";
const WITHOUT_ASK = "ALTER TABLE tasks DROP COLUMN ask;";

describe("SQLite task store file", () => {
  let dir: string;
  let n = 0;
  const path = () => join(dir, `case-${++n}`, "deeper", "openjules.db");
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openjules-sqlite-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("creates the directory and opens in WAL mode with foreign keys and a busy timeout", async () => {
    const file = path();
    await openSqliteStore(file).close();
    const db = openDatabase(file, { busyTimeoutMs: 1234 });
    try {
      assert.deepEqual({ ...db.prepare("PRAGMA journal_mode").get() }, { journal_mode: "wal" });
      assert.deepEqual({ ...db.prepare("PRAGMA foreign_keys").get() }, { foreign_keys: 1 });
      assert.deepEqual({ ...db.prepare("PRAGMA busy_timeout").get() }, { timeout: 1234 });
    } finally {
      db.close();
    }
  });

  it("migrates once; reopening an up-to-date file changes nothing", async () => {
    const file = path();
    await openSqliteStore(file).close();
    await openSqliteStore(file).close();
    const db = new DatabaseSync(file);
    try {
      const rows = db
        .prepare("SELECT component, version, name FROM schema_migrations ORDER BY version")
        .all()
        .map((r) => ({ ...r }));
      assert.deepEqual(
        rows,
        taskMigrations.map((m) => ({ component: "tasks", version: m.version, name: m.name })),
      );
    } finally {
      db.close();
    }
  });

  it("upgrades a file from before thread snapshots: its tasks have none, new ones keep theirs", async () => {
    const file = path();
    const old = openDatabase(file);
    migrate(old, "tasks", taskMigrations.slice(0, 1));
    old.exec(TODAYS_WRITER_COLUMNS);
    const before = new SqliteTaskStore(old, file);
    const created = await before.create(newTask(), "alice", "start");
    assert.ok(created.created);
    old.exec(AS_THE_OLD_SCHEMA);
    await before.close();
    const store = openSqliteStore(file);
    try {
      await assertUpgradedTask(store, created.task.id);
    } finally {
      await store.close();
    }
  });

  it("upgrades a file from before approval kinds: `approval: auto` becomes automatic, a person's approval stays theirs", async () => {
    const file = path();
    const old = openDatabase(file);
    migrate(old, "tasks", taskMigrations.slice(0, 2));
    old.exec(TODAYS_WRITER_COLUMNS);
    const before = new SqliteTaskStore(old, file);
    const ids = await approvedBeforeMigration3(before);
    old.exec(AS_THE_OLD_SCHEMA);
    await before.close();
    const store = openSqliteStore(file);
    try {
      await assertApprovalKindsAfterMigration3(store, ids);
      await assertHistoryAfterMigration5(store, ids);
    } finally {
      await store.close();
    }
  });

  it("upgrades a file from before accounts: its tasks get spoken summaries, which go with the task", async () => {
    const file = path();
    const old = openDatabase(file);
    migrate(old, "tasks", taskMigrations.slice(0, 5));
    old.exec(OWN_KEY_COLUMN);
    const before = new SqliteTaskStore(old, file);
    const created = await before.create(newTask(), "alice", "start");
    assert.ok(created.created);
    old.exec(WITHOUT_OWN_KEY);
    await before.close();
    const store = openSqliteStore(file);
    const raw = openDatabase(file);
    try {
      await assertAccountsAfterMigration6(store, created.task.id, async (id) => {
        raw.prepare("DELETE FROM tasks WHERE id = ?").run(id);
      });
    } finally {
      raw.close();
      await store.close();
    }
  });

  it("upgrades a file from before own keys: its tasks run on the operator's keys, new ones keep theirs", async () => {
    const file = path();
    const old = openDatabase(file);
    migrate(old, "tasks", taskMigrations.slice(0, 6));
    old.exec(OWN_KEY_COLUMN);
    const before = new SqliteTaskStore(old, file);
    const created = await before.create(newTask(), "alice", "start");
    assert.ok(created.created);
    old.exec(WITHOUT_OWN_KEY);
    await before.close();
    const store = openSqliteStore(file);
    try {
      await assertOwnKeyAfterMigration7(store, created.task.id);
    } finally {
      await store.close();
    }
  });

  it("upgrades a file from before questions: its tasks keep their kind, a new question is one and cannot be approved", async () => {
    const file = path();
    const old = openDatabase(file);
    migrate(old, "tasks", taskMigrations.slice(0, 7));
    old.exec(ASK_COLUMN);
    const before = new SqliteTaskStore(old, file);
    const created = await before.create(newTask(), "alice", "start");
    assert.ok(created.created);
    old.exec(WITHOUT_ASK);
    await before.close();
    const store = openSqliteStore(file);
    try {
      await assertAskAfterMigration8(store, created.task.id);
    } finally {
      await store.close();
    }
  });

  it("refuses a file written by a newer OpenJules, and leaves it untouched", async () => {
    const file = path();
    await openSqliteStore(file).close();
    const db = new DatabaseSync(file);
    db.prepare("INSERT INTO schema_migrations VALUES ('tasks', ?, 'from-the-future', '2030-01-01T00:00:00.000Z')").run(LATEST + 1);
    db.close();
    assert.throws(
      () => openSqliteStore(file),
      (e: unknown) => e instanceof SchemaTooNewError && e.message.includes(`"tasks" schema is at version ${LATEST + 1}`),
    );
    const check = new DatabaseSync(file);
    try {
      assert.equal((check.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get() as { n: number }).n, LATEST + 1);
    } finally {
      check.close();
    }
  });

  it("explains a path that cannot be opened", async () => {
    const blocker = join(dir, "a-file");
    await writeFile(blocker, "not a directory");
    const file = join(blocker, "data", "openjules.db");
    assert.throws(
      () => openSqliteStore(file),
      (e: unknown) => e instanceof Error && e.message.startsWith(`Cannot open the database at ${file}: ENOTDIR`) && e.message.includes("JULES_DATA_DIR"),
    );
  });

  it("accepts every task state the model defines (a new state needs a migration)", async () => {
    const file = path();
    await openSqliteStore(file).close();
    const db = openDatabase(file);
    try {
      const insert = db.prepare(`INSERT INTO tasks (id, installation_id, owner, repo, issue_number, kind, state, clone_url, instruction,
        issue_title, requested_by, created_at, updated_at) VALUES (?, 1, 'o', 'r', ?, 'issue', ?, 'u', '', '', 'a', 'now', 'now')`);
      TASK_STATES.forEach((state, i) => insert.run(`t-${i}`, i + 1, state));
      assert.throws(() => insert.run("t-bad", 99, "sleeping"), /CHECK constraint failed/);
    } finally {
      db.close();
    }
  });
});
