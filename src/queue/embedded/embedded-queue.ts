/**
 * The embedded JobQueue: durable jobs in SQLite, leased to one worker at a
 * time. This file schedules: it claims jobs up to the concurrency (at once on
 * an in-process enqueue, else every pollMs), renews leases every leaseMs/3,
 * prunes old finished jobs, drains on stop, and answers depth and idle. What
 * happens to one job lives in job-run.ts, every SQL statement in job-table.ts.
 * The poll timer keeps the process alive while the queue is started; the other
 * timers are unref'd; close() leaves nothing behind.
 */
import { randomBytes } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { databaseKey, openDatabase } from "../../store/sqlite/database.ts";
import { migrate } from "../../store/sqlite/migrate.ts";
import type { JobHandlers, JobQueue, JobSpec } from "../queue.ts";
import { specValues } from "./job-spec.ts";
import { reportInterrupted, runAttempt, type RunContext, type RunningJob } from "./job-run.ts";
import { JobTable, type JobRow } from "./job-table.ts";
import { JOBS_COMPONENT, jobMigrations } from "./migrations/index.ts";
import { resolveQueueOptions, type EmbeddedQueueOptions, type ResolvedQueueOptions } from "./options.ts";
import { announceEnqueue, onEnqueue } from "./wakeups.ts";

const HOUR = 3_600_000;
type Waiter = { resolve: () => void; reject: (error: Error) => void };
type Entry = RunningJob & { done: Promise<void> };

export class EmbeddedQueue implements JobQueue {
  readonly path: string;
  /** The lease owner written in rows: the configured workerId plus a random suffix. */
  readonly workerId: string;
  readonly #db: DatabaseSync;
  readonly #table: JobTable;
  readonly #options: ResolvedQueueOptions;
  readonly #unsubscribe: () => void;
  readonly #running = new Map<string, Entry>();
  readonly #waiters = new Set<Waiter>();
  #context: RunContext | null = null;
  #concurrency = 0;
  #accepting = false;
  #closed = false;
  #pumpScheduled = false;
  #stopping: Promise<void> | null = null;
  #timers: NodeJS.Timeout[] = [];

  /** Use openEmbeddedQueue(); the handle must already be migrated. */
  constructor(db: DatabaseSync, path: string, options: ResolvedQueueOptions) {
    this.#db = db;
    this.path = path;
    this.#options = options;
    this.#table = new JobTable(db);
    this.workerId = `${options.workerId}#${randomBytes(4).toString("hex")}`;
    this.#unsubscribe = onEnqueue(databaseKey(path), () => {
      this.#schedulePump();
      this.#notify();
    });
  }

  async enqueue(spec: JobSpec): Promise<boolean> {
    this.#assertOpen();
    const v = specValues(spec, this.#options.defaultAttempts);
    const added = this.#table.insert(v.id, v.name, v.data, v.maxAttempts, Date.now());
    if (added) announceEnqueue(databaseKey(this.path));
    return added;
  }

  async start(handlers: JobHandlers, concurrency: number): Promise<void> {
    this.#assertOpen();
    if (this.#accepting) throw new Error("The job queue is already started; stop() it before starting it again.");
    if (typeof handlers?.run !== "function" || typeof handlers.onFailed !== "function") throw new TypeError("start() needs handlers with run() and onFailed().");
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`Concurrency must be a positive integer, got ${String(concurrency)}.`);
    await this.#stopping;
    this.#context = { table: this.#table, handlers, options: this.#options };
    this.#concurrency = concurrency;
    this.#accepting = true;
    const { pollMs, leaseMs, retentionMs } = this.#options;
    this.#timers = [
      setInterval(() => this.#schedulePump(), pollMs),
      setInterval(() => this.#heartbeat(), Math.max(10, Math.floor(leaseMs / 3))).unref(),
      setInterval(() => this.#prune(), Math.min(retentionMs, HOUR)).unref(),
    ];
    this.#prune();
    this.#schedulePump();
  }

  stop(graceMs: number = this.#options.defaultGraceMs): Promise<void> {
    if (!Number.isFinite(graceMs) || graceMs < 0) return Promise.reject(new RangeError(`The grace period must be ≥ 0 ms, got ${graceMs}.`));
    if (!this.#stopping && (this.#accepting || this.#running.size > 0)) {
      this.#stopping = this.#drain(graceMs).finally(() => (this.#stopping = null));
    }
    return this.#stopping ?? Promise.resolve();
  }

  async depth(): Promise<number> {
    this.#assertOpen();
    return this.#table.countWaiting();
  }

  async idle(): Promise<void> {
    for (;;) {
      this.#assertOpen();
      if (this.#running.size === 0 && this.#table.countUnfinished() === 0) return;
      await this.#nextChange();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.stop(0);
    this.#shutdown(new Error("The job queue was closed."));
  }

  /**
   * Stops at once as if the process had died: no lease is released (the jobs
   * are taken over by another worker after their lease expires), running
   * handlers are aborted and their results dropped. For tests and chaos drills.
   */
  simulateCrash(): void {
    if (this.#closed) return;
    for (const entry of this.#running.values()) {
      entry.detached = true;
      entry.controller.abort(new Error("The job queue crashed (simulated)."));
    }
    this.#running.clear();
    this.#shutdown(new Error("The job queue crashed (simulated)."));
  }

  async #drain(graceMs: number): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#timers[0]);
    const running = [...this.#running.values()].map((e) => e.done);
    if (running.length > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        void Promise.allSettled(running).then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const now = Date.now();
    for (const entry of this.#running.values()) {
      entry.detached = true;
      entry.controller.abort(new Error("The job queue is stopping; this job was handed back and will run again."));
      this.#guard("hand back a job", () => (entry.phase === "run" ? this.#table.release(entry.lease, now) : this.#table.expire(entry.lease, now)));
    }
    this.#running.clear();
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#notify();
  }

  #schedulePump(): void {
    if (!this.#accepting || this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    this.#guard("take jobs", () => {
      while (this.#accepting && !this.#closed && this.#running.size < this.#concurrency) {
        const now = Date.now();
        const orphan = this.#table.reapExhausted(this.workerId, now, this.#options.leaseMs);
        const row = orphan ?? this.#table.claim(this.workerId, now, this.#options.leaseMs);
        if (!row) return;
        this.#launch(row, orphan !== undefined);
      }
    });
  }

  #launch(row: JobRow, orphan: boolean): void {
    const context = this.#context!;
    const stale = this.#running.get(row.id);
    if (stale) {
      // This process stalled past its own lease and re-claimed the job: the old run no longer counts.
      stale.detached = true;
      stale.controller.abort(new Error(`Lost the lease on job ${row.id}.`));
    }
    const entry: Entry = {
      lease: { id: row.id, owner: this.workerId, attempt: row.attempt },
      controller: new AbortController(),
      phase: orphan ? "failing" : "run",
      detached: false,
      done: Promise.resolve(),
    };
    this.#running.set(row.id, entry);
    entry.done = Promise.resolve()
      .then(() => (orphan ? reportInterrupted(entry, row, context) : runAttempt(entry, row, context)))
      .catch((error: unknown) => this.#options.logger.error({ jobId: row.id, error: String(error) }, "Could not record a job's outcome; it runs again when its lease expires."))
      .finally(() => {
        if (this.#running.get(row.id) === entry) this.#running.delete(row.id);
        this.#notify();
        this.#schedulePump();
      });
  }

  #heartbeat(): void {
    const now = Date.now();
    for (const entry of this.#running.values()) {
      if (entry.detached) continue;
      this.#guard("renew a lease", () => {
        if (this.#table.renew(entry.lease, now + this.#options.leaseMs, now)) return;
        entry.detached = true;
        entry.controller.abort(new Error(`Lost the lease on job ${entry.lease.id}.`));
        this.#options.logger.warn({ jobId: entry.lease.id }, "Lost the lease on a running job (this worker was too slow to renew it); its run was aborted.");
      });
    }
  }

  #prune(): void {
    this.#guard("prune finished jobs", () => this.#table.prune(Date.now() - this.#options.retentionMs));
  }

  #nextChange(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => waiter.resolve(), this.#options.pollMs);
      const settle = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter: Waiter = { resolve: () => (settle(), resolve()), reject: (error) => (settle(), reject(error)) };
      this.#waiters.add(waiter);
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter.resolve();
  }

  #guard(what: string, fn: () => unknown): void {
    if (this.#closed) return;
    try {
      fn();
    } catch (error) {
      this.#options.logger.error({ error: (error as Error).message }, `The job queue could not ${what}; it tries again shortly.`);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("The job queue is closed; it cannot be used after close().");
  }

  #shutdown(reason: Error): void {
    this.#closed = true;
    this.#accepting = false;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#unsubscribe();
    for (const waiter of [...this.#waiters]) waiter.reject(reason);
    if (this.#db.isOpen) this.#db.close();
  }
}

/**
 * Opens (creating if needed) the job queue stored at `path`, which may be the
 * task store's file: the queue keeps its own table and migration history.
 */
export function openEmbeddedQueue(path: string, options: EmbeddedQueueOptions = {}): EmbeddedQueue {
  const resolved = resolveQueueOptions(options);
  const db = openDatabase(path);
  try {
    migrate(db, JOBS_COMPONENT, jobMigrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return new EmbeddedQueue(db, path, resolved);
}
