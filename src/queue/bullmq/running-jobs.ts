/**
 * The runs this worker holds right now, and the three ways of letting go of
 * them: a run whose lock BullMQ failed to renew is "lost" (aborted; another
 * worker owns the job now, so no failure is reported from here); on stop, a
 * run still going after the grace period is "released": handed back to the
 * waiting list with moveToWait (not counted as an attempt) and aborted; on a
 * simulated crash every run is released without handing back, so its lock
 * lapses as if the process had died. A released run's outcome is dropped.
 * A failure report (onFailed) in progress is never handed back: its lock
 * lapses instead, and the next worker reports the job as interrupted.
 */
import type { Job as BullJob } from "bullmq";
import type { Logger } from "../../domain/logger.ts";

export interface Run {
  readonly bullJob: BullJob;
  readonly token: string | undefined;
  readonly controller: AbortController;
  phase: "run" | "failing";
  detached: false | "lost" | "released";
  /** Resolves when the run's processor body has settled (never for a released run). */
  readonly done: Promise<void>;
  finish(): void;
}

export class RunningJobs {
  readonly #runs = new Set<Run>();
  readonly #handbacks = new Set<Promise<void>>();
  readonly #logger: Logger;
  /** "stopping": late arrivals are handed back; "crashed": they are dropped like everything else. */
  #mode: "running" | "stopping" | "crashed" = "running";

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  get size(): number {
    return this.#runs.size;
  }

  /** Registers a run; once stopping (or crashed), lets go of the job at once and returns null. */
  begin(bullJob: BullJob, token: string | undefined): Run | null {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const run: Run = { bullJob, token, controller: new AbortController(), phase: "run", detached: false, done, finish };
    if (this.#mode !== "running") {
      this.#release(run, "The job queue is stopping; this job was handed back and will run again.", this.#mode === "stopping");
      return null;
    }
    this.#runs.add(run);
    return run;
  }

  end(run: Run): void {
    this.#runs.delete(run);
    run.finish();
  }

  /** Aborts the runs whose lock could not be renewed (BullMQ's lockRenewalFailed). */
  lose(bullJobIds: readonly string[]): void {
    for (const run of this.#runs) {
      if (run.detached || !bullJobIds.includes(run.bullJob.id ?? "")) continue;
      run.detached = "lost";
      run.controller.abort(new Error(`Lost the lock on job ${run.bullJob.id}; another worker takes it over.`));
      this.#logger.warn({ jobId: run.bullJob.id }, "Lost the lock on a running job (this worker was too slow to renew it); its run was aborted and its result is dropped.");
    }
  }

  /** From now on, jobs that still arrive are handed back at once. */
  stopTaking(): void {
    if (this.#mode === "running") this.#mode = "stopping";
  }

  /** Resolves when every run held now has settled, or after `graceMs`. */
  async settle(graceMs: number): Promise<void> {
    const pending = [...this.#runs].map((run) => run.done);
    if (pending.length === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      void Promise.all(pending).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Releases every run: runs go back to waiting (uncounted), failure reports are left to lapse. */
  async handBack(): Promise<void> {
    for (const run of this.#runs) this.#release(run, "The job queue is stopping; this job was handed back and will run again.", run.phase === "run");
    this.#runs.clear();
    await Promise.all(this.#handbacks);
  }

  /** Releases every run without handing anything back (a simulated crash). */
  abandon(reason: string): void {
    this.#mode = "crashed";
    for (const run of this.#runs) this.#release(run, reason, false);
    this.#runs.clear();
  }

  #release(run: Run, reason: string, handBack: boolean): void {
    run.detached = "released";
    run.controller.abort(new Error(reason));
    if (!handBack) return;
    const handback = run.bullJob
      .moveToWait(run.token)
      .then(() => undefined)
      .catch((error: Error) =>
        this.#logger.warn({ jobId: run.bullJob.id, error: error.message }, "Could not hand a job back; its lock lapses and another worker takes it over (counted as interrupted)."),
      )
      .finally(() => this.#handbacks.delete(handback));
    this.#handbacks.add(handback);
  }
}
