/**
 * The task store and job queue an operator command works on, opened from the
 * settings exactly as the server opens them (src/store/open.ts and
 * src/queue/open.ts: PostgreSQL and BullMQ when DATABASE_URL and REDIS_URL are
 * set, else the embedded SQLite file under JULES_DATA_DIR). `migrate` brings
 * every schema up to date and says which versions it applied. Commands
 * receive a `BackendsFactory`, so tests plug in their own.
 */
import type { Logger } from "pino";
import { jobMigrations, JOBS_COMPONENT } from "../../queue/embedded/index.ts";
import { openQueue, queueBackend, type QueueSettings } from "../../queue/open.ts";
import type { JobQueue } from "../../queue/port.ts";
import { migrateStore, openStore, sqlitePath, storeBackend, type StoreSettings } from "../../store/open.ts";
import { migrate, openDatabase } from "../../store/sqlite/index.ts";
import type { TaskStore } from "../../store/port.ts";

export interface Backends {
  store: TaskStore;
  queue: JobQueue;
  /** Which backends, for messages (never a password). */
  description: string;
  close(): Promise<void>;
}

export interface MigrationReport {
  component: string;
  backend: string;
  /** Versions this run applied (empty when already up to date). */
  applied: number[];
  version: number;
}

export type BackendSettings = StoreSettings & QueueSettings;

export interface BackendsFactory {
  open(settings: BackendSettings, log: Logger): Promise<Backends>;
  migrate(settings: BackendSettings, log: Logger): Promise<MigrationReport[]>;
}

export const configuredBackends: BackendsFactory = {
  async open(settings, log) {
    const store = await openStore(settings, { logger: log });
    try {
      const queue = await openQueue(settings, { logger: log });
      const where = storeBackend(settings) === "sqlite" ? ` at ${sqlitePath(settings)}` : "";
      return {
        store,
        queue,
        description: `${storeBackend(settings)} store and ${queueBackend(settings)} queue${where}`,
        async close() {
          await queue.close();
          await store.close();
        },
      };
    } catch (error) {
      await store.close();
      throw error;
    }
  },

  async migrate(settings, log) {
    const tasks = await migrateStore(settings, { logger: log });
    const reports: MigrationReport[] = [{ component: "tasks", backend: tasks.backend, applied: tasks.applied, version: tasks.version }];
    if (queueBackend(settings) === "embedded") {
      const db = openDatabase(sqlitePath(settings));
      try {
        reports.push({ component: JOBS_COMPONENT, backend: "sqlite", ...migrate(db, JOBS_COMPONENT, jobMigrations) });
      } finally {
        db.close();
      }
    }
    return reports;
  },
};
