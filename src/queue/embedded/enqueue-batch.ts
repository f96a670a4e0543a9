import type { DatabaseSync } from "node:sqlite";

/**
 * Group commit for enqueues. SQLite runs with `synchronous = FULL`, so each
 * commit waits for the disk, and that wait blocks the event loop. Enqueues
 * made in the same turn of the event loop (a burst of webhooks) are written
 * in one transaction, after which every caller learns its own result: one
 * disk wait per burst instead of one per job, with the same durability (a
 * caller is answered only once its job is committed).
 */
interface Pending<T> {
  write: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export class WriteBatch<T> {
  readonly #db: DatabaseSync;
  #pending: Pending<T>[] = [];

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Runs `write` inside the next batch's transaction; resolves after the commit. */
  add(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ write, resolve, reject });
      if (this.#pending.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    const results: T[] = [];
    try {
      this.#db.exec("BEGIN IMMEDIATE");
      try {
        for (const item of batch) results.push(item.write());
        this.#db.exec("COMMIT");
      } catch (error) {
        this.#db.exec("ROLLBACK");
        throw error;
      }
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => item.resolve(results[i] as T));
  }
}
