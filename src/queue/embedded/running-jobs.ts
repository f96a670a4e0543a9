/**
 * The jobs this worker holds right now: launching a claimed job (its run or
 * its failure report, see job-run.ts), renewing their leases, waiting for
 * them, and letting go of them, either by handing them back (stop) or by
 * abandoning them (a simulated crash). A job whose lease is lost is aborted
 * and its result dropped, because another worker owns it now.
 */
import type { JobRow, JobTable } from "./job-table.ts";
import { reportInterrupted, runAttempt, type RunContext, type RunningJob } from "./job-run.ts";
import type { Logger } from "../../domain/logger.ts";

type Entry = RunningJob & { done: Promise<void> };

/** Runs `fn`, logging (not throwing) a database error: the caller retries on its next tick. */
export function guarded(logger: Logger, what: string, fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    logger.error({ error: (error as Error).message }, `The job queue could not ${what}; it tries again shortly.`);
  }
}

export class RunningJobs {
  readonly #entries = new Map<string, Entry>();
  readonly #table: JobTable;
  readonly #owner: string;
  readonly #logger: Logger;
  readonly #settled: () => void;

  /** `settled` is called whenever a job this worker held is done with. */
  constructor(table: JobTable, owner: string, logger: Logger, settled: () => void) {
    this.#table = table;
    this.#owner = owner;
    this.#logger = logger;
    this.#settled = settled;
  }

  get size(): number {
    return this.#entries.size;
  }

  launch(row: JobRow, orphan: boolean, context: RunContext): void {
    const stale = this.#entries.get(row.id);
    if (stale) this.#lose(stale, "this worker stalled past its lease and claimed the job again");
    const entry: Entry = {
      lease: { id: row.id, owner: this.#owner, attempt: row.attempt },
      controller: new AbortController(),
      phase: orphan ? "failing" : "run",
      detached: false,
      done: Promise.resolve(),
    };
    this.#entries.set(row.id, entry);
    entry.done = Promise.resolve()
      .then(() => (orphan ? reportInterrupted(entry, row, context) : runAttempt(entry, row, context)))
      .catch((error: unknown) => this.#logger.error({ jobId: row.id, error: String(error) }, "Could not record a job's outcome; it runs again when its lease expires."))
      .finally(() => {
        if (this.#entries.get(row.id) === entry) this.#entries.delete(row.id);
        this.#settled();
      });
  }

  /** Extends every lease; aborts the runs whose lease another worker took. */
  renew(now: number, leaseMs: number): void {
    for (const entry of this.#entries.values()) {
      if (entry.detached) continue;
      guarded(this.#logger, "renew a lease", () => {
        if (!this.#table.renew(entry.lease, now + leaseMs, now)) this.#lose(entry, "this worker was too slow to renew it");
      });
    }
  }

  /** Resolves when every job held now has settled, or after `graceMs`. */
  async settle(graceMs: number): Promise<void> {
    const pending = [...this.#entries.values()].map((e) => e.done);
    if (pending.length === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      void Promise.allSettled(pending).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Aborts what still runs and gives it back: runs wait again (attempt not counted), failure reports go to the next worker. */
  handBack(now: number): void {
    for (const entry of this.#entries.values()) {
      this.#detach(entry, "The job queue is stopping; this job was handed back and will run again.");
      guarded(this.#logger, "hand back a job", () => (entry.phase === "run" ? this.#table.release(entry.lease, now) : this.#table.expire(entry.lease, now)));
    }
    this.#entries.clear();
  }

  /** Aborts everything and forgets it, leaving the leases to expire (a simulated crash). */
  abandon(reason: string): void {
    for (const entry of this.#entries.values()) this.#detach(entry, reason);
    this.#entries.clear();
  }

  #lose(entry: Entry, why: string): void {
    this.#detach(entry, `Lost the lease on job ${entry.lease.id}.`);
    this.#logger.warn({ jobId: entry.lease.id, attempt: entry.lease.attempt }, `Lost the lease on a running job (${why}); its run was aborted.`);
  }

  #detach(entry: Entry, reason: string): void {
    entry.detached = true;
    entry.controller.abort(new Error(reason));
  }
}
