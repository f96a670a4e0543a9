/**
 * The TaskStore contract: one suite every store implementation runs (SQLite
 * here, PostgreSQL later). `storeContract(name, makeStore)` registers the
 * describe/it blocks; `makeStore` returns a ready store, optionally a way to
 * open the same database again (durability), and a cleanup. Cases use unique
 * owners and comment ids, so a shared database works too.
 */
import { afterEach, beforeEach, describe } from "vitest";
import type { StoreOptions } from "../../src/store/log.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { accountCases } from "./contract-accounts.ts";
import { askCases } from "./contract-ask.ts";
import { callerCases } from "./contract-callers.ts";
import { ciFixCases } from "./contract-ci-fixes.ts";
import { commandWordCases } from "./contract-command-word.ts";
import { createCases } from "./contract-create.ts";
import { logCases, retentionCases } from "./contract-log.ts";
import { processCases } from "./contract-processes.ts";
import { queryCases } from "./contract-queries.ts";
import { transitionCases } from "./contract-transitions.ts";

export interface StoreFixture {
  store: TaskStore;
  /** Opens the same database again (after `store` was closed). */
  reopen?: () => Promise<TaskStore>;
  /** Another store on the same database, opened with these options (the caller closes it). */
  openWith: (options: StoreOptions) => Promise<TaskStore>;
  /** The database as another process opens it (test/helpers/approve-race-child.ts): a SQLite file's path or a PostgreSQL URL. */
  where: string;
  cleanup: () => Promise<void>;
}

/** What the case files see: the current test's fixture. */
export interface ContractContext {
  readonly store: TaskStore;
  readonly fixture: StoreFixture;
}

/** The in-process cases (the unit project runs SQLite's). */
export function storeContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  contractSuite(`TaskStore contract: ${name}`, makeStore, (context) => {
    createCases(context);
    transitionCases(context);
    queryCases(context);
    commandWordCases(context);
    logCases(context);
    retentionCases(context);
    callerCases(context);
    accountCases(context);
    ciFixCases(context);
    askCases(context);
  });
}

/** The cases between OS processes (integration: each backend runs them from a file the integration project holds). */
export function storeProcessContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  contractSuite(`TaskStore contract between processes: ${name}`, makeStore, processCases);
}

function contractSuite(title: string, makeStore: () => Promise<StoreFixture>, register: (context: ContractContext) => void): void {
  describe(title, () => {
    let current: StoreFixture | undefined;
    beforeEach(async () => {
      current = await makeStore();
    });
    afterEach(async () => {
      await current?.store.close();
      await current?.cleanup();
      current = undefined;
    });
    const context: ContractContext = {
      get fixture() {
        if (!current) throw new Error("no store fixture outside a test");
        return current;
      },
      get store() {
        return this.fixture.store;
      },
    };
    register(context);
  });
}
