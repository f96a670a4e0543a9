/**
 * The store is chosen by the settings: SQLite under JULES_DATA_DIR when
 * DATABASE_URL is unset (nothing changes for a single machine), PostgreSQL when
 * it is set; the operator's migrate command works on both.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateStore, openStore, storeBackend } from "../../src/store/open.ts";
import { PostgresTaskStore } from "../../src/store/postgres/index.ts";
import { SqliteTaskStore } from "../../src/store/sqlite/index.ts";
import { createTestSchema, type TestSchema } from "../helpers/services.ts";
import { newTask } from "./fixtures.ts";

describe("openStore", () => {
  let dir: string;
  let schema: TestSchema;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openjules-open-store-"));
    schema = await createTestSchema("open-store");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await schema.drop();
  });

  it("opens SQLite under the data directory when DATABASE_URL is unset", async () => {
    const settings = { dataDir: join(dir, "data"), databaseUrl: undefined };
    assert.equal(storeBackend(settings), "sqlite");
    assert.deepEqual(await migrateStore(settings), { backend: "sqlite", applied: [1, 2, 3, 4, 5, 6, 7, 8, 9], version: 9 });
    const store = await openStore(settings);
    try {
      assert.ok(store instanceof SqliteTaskStore);
      assert.equal(store.path, join(dir, "data", "openjules.db"));
      assert.ok((await store.create(newTask(), "alice", "start")).created);
    } finally {
      await store.close();
    }
    assert.deepEqual(await migrateStore(settings), { backend: "sqlite", applied: [], version: 9 });
  });

  it("opens PostgreSQL when DATABASE_URL is set, and writes nothing under the data directory", async () => {
    const settings = { dataDir: join(dir, "unused"), databaseUrl: schema.url };
    assert.equal(storeBackend(settings), "postgres");
    assert.deepEqual(await migrateStore(settings), { backend: "postgres", applied: [1, 2, 3, 4, 5, 6, 7, 8, 9], version: 9 });
    const store = await openStore(settings);
    try {
      assert.ok(store instanceof PostgresTaskStore);
      const created = await store.create(newTask(), "alice", "start");
      assert.ok(created.created);
      assert.equal((await store.get(created.task.id))?.state, "queued");
    } finally {
      await store.close();
    }
    assert.equal(existsSync(join(dir, "unused")), false);
  });
});
