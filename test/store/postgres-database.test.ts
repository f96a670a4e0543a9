/**
 * What only the PostgreSQL store has to show: migrations at open (once,
 * race-free between processes starting together, transactional, too-new and
 * foreign histories refused), the operator's migrate command, a schema that
 * accepts every task state, NUL characters (which PostgreSQL cannot store)
 * replaced instead of failing a write, a clear error without the password
 * when the server cannot be reached. Each test works in its own fresh schema
 * (the one-approval rule between OS processes is a contract case).
 */
import { afterAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { Pool } from "pg";
import { TASK_STATES } from "../../src/domain/model.ts";
import { SchemaTooNewError } from "../../src/store/migrate.ts";
import { migrate, migratePostgres, openPostgresStore, PostgresTaskStore, schemaVersion, taskMigrations } from "../../src/store/postgres/index.ts";
import { createTestSchema, type TestSchema } from "../helpers/services.ts";
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
/** As in the SQLite test: today's writer needs migration 4's and 5's columns and log; they are dropped again so the database is as an older OpenJules left it. */
const TODAYS_WRITER_COLUMNS = `ALTER TABLE tasks ADD COLUMN command text NOT NULL DEFAULT 'jules', ADD COLUMN face text, ADD COLUMN model text,
  ADD COLUMN idempotency_key text, ADD COLUMN idempotency_digest text, ADD COLUMN own_key jsonb, ADD COLUMN ask smallint NOT NULL DEFAULT 0;
ALTER TABLE task_events ADD COLUMN face text;
CREATE TABLE task_log_events (id bigint GENERATED ALWAYS AS IDENTITY, task_id text, at timestamptz DEFAULT now(), type text, data text);`;
const AS_THE_OLD_SCHEMA = `ALTER TABLE tasks DROP COLUMN command, DROP COLUMN face, DROP COLUMN model, DROP COLUMN idempotency_key, DROP COLUMN idempotency_digest,
  DROP COLUMN own_key, DROP COLUMN ask;
ALTER TABLE task_events DROP COLUMN face; DROP TABLE task_log_events;`;
/** Today's writer on a database from before migration 7 (own keys), and back. */
const OWN_KEY_COLUMN = "ALTER TABLE tasks ADD COLUMN own_key jsonb, ADD COLUMN ask smallint NOT NULL DEFAULT 0;";
const WITHOUT_OWN_KEY = "ALTER TABLE tasks DROP COLUMN own_key, DROP COLUMN ask;";
/** Today's writer on a database from before migration 8 (questions), and back. */
const ASK_COLUMN = "ALTER TABLE tasks ADD COLUMN ask smallint NOT NULL DEFAULT 0;";
const WITHOUT_ASK = "ALTER TABLE tasks DROP COLUMN ask;";
const ALL = taskMigrations.map((m) => m.version);

describe("PostgreSQL task store database", { timeout: 120_000 }, () => {
  const schemas: TestSchema[] = [];
  const pools: Pool[] = [];
  const fresh = async () => {
    const schema = await createTestSchema("pg-store");
    schemas.push(schema);
    return schema;
  };
  const pool = (schema: TestSchema) => {
    const p = new Pool({ connectionString: schema.url, max: 2 });
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await Promise.all(schemas.map((s) => s.drop()));
  });

  it("migrates once; reopening an up-to-date database changes nothing", async () => {
    const schema = await fresh();
    await (await openPostgresStore(schema.url)).close();
    await (await openPostgresStore(schema.url)).close();
    const { rows } = await pool(schema).query("SELECT component, version, name FROM schema_migrations ORDER BY version");
    assert.deepEqual(
      rows,
      taskMigrations.map((m) => ({ component: "tasks", version: m.version, name: m.name })),
    );
  });

  it("upgrades a database from before thread snapshots: its tasks have none, new ones keep theirs", async () => {
    const schema = await fresh();
    const old = pool(schema);
    await migrate(old, "tasks", taskMigrations.slice(0, 1));
    await old.query(TODAYS_WRITER_COLUMNS);
    const created = await new PostgresTaskStore(old).create(newTask(), "alice", "start");
    await old.query(AS_THE_OLD_SCHEMA);
    assert.ok(created.created);
    const store = await openPostgresStore(schema.url);
    try {
      await assertUpgradedTask(store, created.task.id);
    } finally {
      await store.close();
    }
  });

  it("upgrades a database from before approval kinds: `approval: auto` becomes automatic, a person's approval stays theirs", async () => {
    const schema = await fresh();
    const old = pool(schema);
    await migrate(old, "tasks", taskMigrations.slice(0, 2));
    await old.query(TODAYS_WRITER_COLUMNS);
    const before = new PostgresTaskStore(old);
    const ids = await approvedBeforeMigration3(before);
    await old.query(AS_THE_OLD_SCHEMA);
    const store = await openPostgresStore(schema.url);
    try {
      await assertApprovalKindsAfterMigration3(store, ids);
      await assertHistoryAfterMigration5(store, ids);
    } finally {
      await store.close();
    }
  });

  it("upgrades a database from before accounts: its tasks get spoken summaries, which go with the task", async () => {
    const schema = await fresh();
    const old = pool(schema);
    await migrate(old, "tasks", taskMigrations.slice(0, 5));
    await old.query(OWN_KEY_COLUMN);
    const created = await new PostgresTaskStore(old).create(newTask(), "alice", "start");
    assert.ok(created.created);
    await old.query(WITHOUT_OWN_KEY);
    const store = await openPostgresStore(schema.url);
    try {
      await assertAccountsAfterMigration6(store, created.task.id, async (id) => {
        await old.query("DELETE FROM tasks WHERE id = $1", [id]);
      });
    } finally {
      await store.close();
    }
  });

  it("upgrades a database from before own keys: its tasks run on the operator's keys, new ones keep theirs", async () => {
    const schema = await fresh();
    const old = pool(schema);
    await migrate(old, "tasks", taskMigrations.slice(0, 6));
    await old.query(OWN_KEY_COLUMN);
    const created = await new PostgresTaskStore(old).create(newTask(), "alice", "start");
    assert.ok(created.created);
    await old.query(WITHOUT_OWN_KEY);
    const store = await openPostgresStore(schema.url);
    try {
      await assertOwnKeyAfterMigration7(store, created.task.id);
    } finally {
      await store.close();
    }
  });

  it("upgrades a database from before questions: its tasks keep their kind, a new question is one and cannot be approved", async () => {
    const schema = await fresh();
    const old = pool(schema);
    await migrate(old, "tasks", taskMigrations.slice(0, 7));
    await old.query(ASK_COLUMN);
    const created = await new PostgresTaskStore(old).create(newTask(), "alice", "start");
    assert.ok(created.created);
    await old.query(WITHOUT_ASK);
    const store = await openPostgresStore(schema.url);
    try {
      await assertAskAfterMigration8(store, created.task.id);
    } finally {
      await store.close();
    }
  });

  it("lets processes that start together migrate one at a time", async () => {
    const schema = await fresh();
    const stores = await Promise.all(Array.from({ length: 5 }, () => openPostgresStore(schema.url, { maxConnections: 2 })));
    await Promise.all(stores.map((s) => s.close()));
    const { rows } = await pool(schema).query("SELECT COUNT(*)::int AS n FROM schema_migrations");
    assert.deepEqual(rows, [{ n: LATEST }]);
  });

  it("runs the operator's migrate command: applies, then reports nothing to do", async () => {
    const schema = await fresh();
    assert.deepEqual(await migratePostgres(schema.url), { applied: ALL, version: LATEST });
    assert.deepEqual(await migratePostgres(schema.url), { applied: [], version: LATEST });
    assert.equal(await schemaVersion(pool(schema), "tasks"), LATEST);
  });

  it("refuses a database migrated by a newer OpenJules, and leaves it untouched", async () => {
    const schema = await fresh();
    await (await openPostgresStore(schema.url)).close();
    const db = pool(schema);
    await db.query("INSERT INTO schema_migrations (component, version, name) VALUES ('tasks', $1, 'from-the-future')", [LATEST + 1]);
    await assert.rejects(
      openPostgresStore(schema.url),
      (e: unknown) =>
        e instanceof SchemaTooNewError &&
        e.found === LATEST + 1 &&
        e.supported === LATEST &&
        /^The PostgreSQL database's "tasks" schema .* upgrade OpenJules, or point DATABASE_URL/.test(e.message),
    );
    const { rows } = await db.query("SELECT COUNT(*)::int AS n FROM schema_migrations");
    assert.deepEqual(rows, [{ n: LATEST + 1 }]);
  });

  it("refuses a history that differs from the code's, and rolls a failing migration back entirely", async () => {
    const schema = await fresh();
    const db = pool(schema);
    const widgets = { version: 1, name: "widgets", sql: "CREATE TABLE widgets (id integer PRIMARY KEY)" };
    const broken = { version: 2, name: "broken", sql: "CREATE TABLE half (id integer); INSERT INTO nowhere VALUES (1);" };
    await assert.rejects(migrate(db, "widgets", [widgets, broken]), /"widgets" migration 2 \(broken\) failed: relation "nowhere" does not exist/);
    assert.equal(await schemaVersion(db, "widgets"), 0, "nothing recorded, not even migration 1");
    const { rows } = await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", [schema.name]);
    assert.deepEqual(rows, [], "not even the bookkeeping table is left behind");
    assert.deepEqual(await migrate(db, "widgets", [widgets]), { applied: [1], version: 1 });
    await assert.rejects(migrate(db, "widgets", [{ ...widgets, name: "sprockets" }]), /migration 1 is "widgets", but this OpenJules expects "sprockets"/);
  });

  it("accepts every task state the model defines (a new state needs a migration)", async () => {
    const schema = await fresh();
    await (await openPostgresStore(schema.url)).close();
    const db = pool(schema);
    const insert = (id: string, issue: number, state: string) =>
      db.query(
        `INSERT INTO tasks (id, installation_id, owner, repo, issue_number, kind, state, clone_url, instruction, issue_title, requested_by, created_at, updated_at)
        VALUES ($1, 1, 'o', 'r', $2, 'issue', $3, 'u', '', '', 'a', now(), now())`,
        [id, issue, state],
      );
    for (const [i, state] of TASK_STATES.entries()) await insert(`t-${i}`, i + 1, state);
    await assert.rejects(insert("t-bad", 99, "sleeping"), /violates check constraint/);
  });

  it("stores text with NUL characters, which PostgreSQL cannot hold, as U+FFFD instead of failing", async () => {
    const schema = await fresh();
    const store = await openPostgresStore(schema.url);
    try {
      const created = await store.create(newTask({ instruction: "fix\u0000it" }), "alice", "start\u0000");
      assert.ok(created.created);
      assert.equal(created.task.instruction, "fix\uFFFDit");
      const failed = await store.transition(created.task.id, {
        from: "queued",
        to: "failed",
        actor: "worker",
        reason: "tests\u0000",
        patch: { failure: { phase: "tests", reason: "output: \u0000\u0000 and a literal \\u0000", hint: "retry" }, activity: "ran\u0000" },
      });
      assert.deepEqual(failed?.failure, { phase: "tests", reason: "output: \uFFFD\uFFFD and a literal \\u0000", hint: "retry" });
      assert.equal(failed?.activity, "ran\uFFFD");
      assert.deepEqual(
        (await store.history(created.task.id)).map((e) => e.reason),
        ["start\uFFFD", "tests\uFFFD"],
      );
      await store.accounts.putSummary({ taskId: created.task.id, textHash: "a".repeat(64), text: "out\u0000put", audio: null, engine: null, createdAt: "2030-01-01T00:00:00Z" });
      assert.equal((await store.accounts.getSummary(created.task.id))?.text, "out\uFFFDput");
    } finally {
      await store.close();
    }
  });

  it("explains a server that cannot be reached, without printing the password", async () => {
    const url = "postgres://postgres:s3cret-pw@127.0.0.1:1/test";
    await assert.rejects(
      openPostgresStore(url, { connectTimeoutMs: 2_000 }),
      (e: unknown) =>
        e instanceof Error &&
        e.message.startsWith("Cannot use the PostgreSQL database at postgres://postgres:***@127.0.0.1:1/test (DATABASE_URL): ") &&
        !e.message.includes("s3cret"),
    );
    await assert.rejects(openPostgresStore("mysql://root@127.0.0.1/test"), /DATABASE_URL must start with postgres:\/\//);
    await assert.rejects(openPostgresStore("not a url"), /DATABASE_URL is not a URL/);
  });
});
