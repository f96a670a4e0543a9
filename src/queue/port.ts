/**
 * A durable job queue. The embedded default keeps jobs in SQLite; BullMQ on
 * Redis implements the same contract (test/queue/contract.ts runs against both).
 *
 * Contract:
 * - `enqueue` with an id that exists already (in any state, until pruned) is a
 *   no-op returning false: job ids carry exactly-once semantics.
 * - A job is leased to one worker at a time. A worker that dies loses its lease
 *   after `leaseMs`; the job then counts the lost run as a failed attempt
 *   (`lastError` "interrupted") and runs again while attempts remain.
 * - A handler that resolves completes the job; one that throws is retried with
 *   backoff until `maxAttempts`, then `onFailed` is called once with the error.
 * - `stop(graceMs)` stops taking jobs, waits for running ones up to the grace
 *   period, then hands unfinished jobs back (they run again elsewhere).
 */

export type JobName = "inbound" | "plan" | "execute";

export interface JobSpec {
  /** Deterministic id, e.g. `plan:<taskId>:<planVersion>`: enqueueing it twice is harmless. */
  id: string;
  name: JobName;
  data: unknown;
  /** Defaults to the queue's configured attempts. */
  maxAttempts?: number;
}

export interface Job {
  id: string;
  name: JobName;
  data: unknown;
  /** 1 for the first run. */
  attempt: number;
  maxAttempts: number;
  /** Why the previous attempt ended, if there was one ("interrupted" when its worker died). */
  lastError: string | null;
  /** Aborted when the queue stops and the grace period ends. */
  signal: AbortSignal;
  /** When the job became due (epoch ms), for the queue wait-time metric; absent when the backend cannot tell. */
  readyAt?: number;
}

export interface JobHandlers {
  run(job: Job): Promise<void>;
  /** Called once when a job has used all its attempts. */
  onFailed(job: Job, error: Error): Promise<void>;
}

export interface JobQueue {
  enqueue(spec: JobSpec): Promise<boolean>;
  /** Starts taking jobs with the given concurrency. */
  start(handlers: JobHandlers, concurrency: number): Promise<void>;
  /** Stops taking jobs; see the contract above. */
  stop(graceMs?: number): Promise<void>;
  /** Jobs waiting (not running), for metrics and tests. */
  depth(): Promise<number>;
  /** Resolves when no job is waiting or running (tests and drains). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Throw from a handler to fail the job at once, without further attempts. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}
