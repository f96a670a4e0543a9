/**
 * Runs the TaskStore contract on the PostgreSQL store, against the real
 * server: every test opens a store (which migrates) on one schema created for
 * this file and dropped at the end, so other test files can use the same
 * database at the same time.
 */
import { afterAll, beforeAll } from "vitest";
import { openPostgresStore } from "../../src/store/postgres/index.ts";
import { createTestSchema, type TestSchema } from "../helpers/services.ts";
import { storeContract, storeProcessContract, type StoreFixture } from "./contract.ts";

let schema: TestSchema;
beforeAll(async () => {
  schema = await createTestSchema("store-contract");
});
afterAll(() => schema.drop());

const fixture = async (): Promise<StoreFixture> => ({
  store: await openPostgresStore(schema.url, { maxConnections: 4 }),
  reopen: () => openPostgresStore(schema.url, { maxConnections: 4 }),
  openWith: (options) => openPostgresStore(schema.url, { maxConnections: 2, ...options }),
  where: schema.url,
  cleanup: async () => {},
});

storeContract("PostgreSQL", fixture);
storeProcessContract("PostgreSQL", fixture);
