/**
 * The SQLite store for the contract suites: each test on a fresh database file
 * in a temporary directory (removed afterwards).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-task-store.ts";
import type { StoreFixture } from "./contract.ts";

export async function sqliteStoreFixture(): Promise<StoreFixture> {
  const dir = await mkdtemp(join(tmpdir(), "openjules-store-"));
  const path = join(dir, "nested", "openjules.db");
  return {
    store: openSqliteStore(path),
    reopen: async () => openSqliteStore(path),
    openWith: async (options) => openSqliteStore(path, options),
    where: path,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
