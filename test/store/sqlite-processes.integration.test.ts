/**
 * The TaskStore contract's cases between OS processes on the SQLite store
 * (several processes writing one file), in the integration project.
 */
import { storeProcessContract } from "./contract.ts";
import { sqliteStoreFixture } from "./sqlite-fixture.ts";

storeProcessContract("SQLite", sqliteStoreFixture);
