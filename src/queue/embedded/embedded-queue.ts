/**
 * The embedded JobQueue: durable jobs in SQLite, leased to one worker at a
 * time. This file is the queue's lifecycle: it claims jobs up to the
 * concurrency (at once on an in-process enqueue, else every pollMs), renews
 * leases every leaseMs/3, prunes old finished jobs, drains on stop, and
 * answers depth and idle. One job's run is job-run.ts, the jobs held are
 * running-jobs.ts, every SQL statement is job-table.ts. While started, the
 * poll timer keeps the process alive (a worker-only process has nothing
 * else); the other timers are unref'd; close() leaves no handle behind.
 */
import { randomBytes } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { databaseKey, openDatabase } from "../../store/sqlite/database.ts";
import { migrate } from "../../store/sqlite/migrate.ts";
import { assertOpen, checkGrace, checkStart } from "../lifecycle.ts";
import type { JobHandlers, JobQueue, JobSpec } from "../port.ts";
import { ChangeSignal } from "./change-signal.ts";
import { specValues } from "./job-spec.ts";
import { JobTable } from "./job-table.ts";
import { JOBS_COMPONENT, jobMigrations } from "./migrations/all.ts";
import { resolveQueueOptions, type EmbeddedQueueOptions, type ResolvedQueueOptions } from "./options.ts";
import { guarded, RunningJobs } from "./running-jobs.ts";
import type { RunContext } from "./job-run.ts";
import { announceEnqueue, onEnqueue } from "./wakeups.ts";
import { WriteBatch } from "./enqueue-batch.ts";

const HOUR = 3_600_000;
const MIN_PRUNE_EVERY_MS = 1_000;

export class EmbeddedQueue implements JobQueue {
  readonly path: string;
  /** The lease owner written in rows: the configured workerId plus a random suffix. */
  readonly workerId: string;
  readonly #db: DatabaseSync;
  readonly #inserts: WriteBatch<boolean>;
  readonly #table: JobTable;
  readonly #options: ResolvedQueueOptions;
  readonly #running: RunningJobs;
  readonly #changes = new ChangeSignal();
  readonly #unsubscribe: () => void;
  #context: RunContext | null = null;
  #concurrency = 0;
  #accepting = false;
  #closed = false;
  #pumpScheduled = false;
  #stopping: Promise<void> | null = null;
  #poll: NodeJS.Timeout | undefined;
  #maintenance: NodeJS.Timeout[] = [];

  /** Use openEmbeddedQueue(); the handle must already be migrated. */
  constructor(db: DatabaseSync, path: string, options: ResolvedQueueOptions) {
    this.#db = db;
    this.#inserts = new WriteBatch(db);
    this.path = path;
    this.#options = options;
    this.#table = new JobTable(db);
    this.workerId = `${options.workerId}#${randomBytes(4).toString("hex")}`;
    this.#running = new RunningJobs(this.#table, this.workerId, options.logger, () => {
      this.#changes.notify();
      this.#schedulePump();
    });
    this.#unsubscribe = onEnqueue(databaseKey(path), () => {
      this.#schedulePump();
      this.#changes.notify();
    });
  }

  async enqueue(spec: JobSpec): Promise<boolean> {
    this.#assertOpen();
    const v = specValues(spec, this.#options.defaultAttempts);
    const added = await this.#inserts.add(() => this.#table.insert(v.id, v.name, v.data, v.maxAttempts, Date.now()));
    if (added) announceEnqueue(databaseKey(this.path));
    return added;
  }

  async start(handlers: JobHandlers, concurrency: number): Promise<void> {
    await checkStart(() => ({ closed: this.#closed, started: this.#accepting }), handlers, concurrency, this.#stopping);
    const { pollMs, leaseMs, retentionMs } = this.#options;
    this.#context = { table: this.#table, handlers, options: this.#options };
    this.#concurrency = concurrency;
    this.#accepting = true;
    this.#poll = setInterval(() => this.#schedulePump(), pollMs);
    this.#maintenance = [
      setInterval(() => this.#running.renew(Date.now(), leaseMs), Math.max(10, Math.floor(leaseMs / 3))).unref(),
      setInterval(() => this.#prune(), Math.min(Math.max(retentionMs, MIN_PRUNE_EVERY_MS), HOUR)).unref(),
    ];
    this.#prune();
    this.#schedulePump();
  }

  stop(graceMs: number = this.#options.defaultGraceMs): Promise<void> {
    const badGrace = checkGrace(graceMs);
    if (badGrace) return Promise.reject(badGrace);
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
      await this.#changes.wait(this.#options.pollMs);
    }
  }

  /** Stops without grace (running jobs are handed back at once), then closes the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.stop(0);
    this.#shutdown(new Error("The job queue was closed."));
  }

  /**
   * Stops at once as if the process had died: no lease is released (another
   * worker takes the jobs over when their leases expire), running handlers are
   * aborted and their results dropped. For tests and chaos drills.
   */
  simulateCrash(): void {
    if (this.#closed) return;
    this.#running.abandon("The job queue crashed (simulated).");
    this.#shutdown(new Error("The job queue crashed (simulated)."));
  }

  async #drain(graceMs: number): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#poll);
    await this.#running.settle(graceMs);
    if (!this.#closed) this.#running.handBack(Date.now());
    this.#clearMaintenance();
    this.#changes.notify();
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
    const context = this.#context;
    if (!context) return;
    guarded(this.#options.logger, "take jobs", () => {
      while (this.#accepting && !this.#closed && this.#running.size < this.#concurrency) {
        const now = Date.now();
        const orphan = this.#table.reapExhausted(this.workerId, now, this.#options.leaseMs);
        const row = orphan ?? this.#table.claim(this.workerId, now, this.#options.leaseMs);
        if (!row) return;
        this.#running.launch(row, orphan !== undefined, context);
      }
    });
  }

  #prune(): void {
    if (!this.#closed) guarded(this.#options.logger, "prune finished jobs", () => this.#table.prune(Date.now() - this.#options.retentionMs));
  }

  #clearMaintenance(): void {
    for (const timer of this.#maintenance) clearInterval(timer);
    this.#maintenance = [];
  }

  #assertOpen(): void {
    assertOpen(this.#closed);
  }

  #shutdown(reason: Error): void {
    this.#closed = true;
    this.#accepting = false;
    clearInterval(this.#poll);
    this.#clearMaintenance();
    this.#unsubscribe();
    this.#changes.fail(reason);
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
