/**
 * Runs the TaskStore contract on the embedded SQLite store, each test on a
 * fresh database file (sqlite-fixture.ts). The cases between OS processes run
 * in sqlite-processes.integration.test.ts.
 */
import { storeContract } from "./contract.ts";
import { sqliteStoreFixture } from "./sqlite-fixture.ts";

storeContract("SQLite", sqliteStoreFixture);
