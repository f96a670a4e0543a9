/**
 * Runs the TaskStore contract on the embedded SQLite store, each test on a
 * fresh database file in a temporary directory (removed afterwards).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-task-store.ts";
import { storeContract } from "./contract.ts";

storeContract("SQLite", async () => {
  const dir = await mkdtemp(join(tmpdir(), "openjules-store-"));
  const path = join(dir, "nested", "openjules.db");
  return {
    store: openSqliteStore(path),
    reopen: async () => openSqliteStore(path),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
