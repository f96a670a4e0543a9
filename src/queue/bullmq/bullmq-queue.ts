/**
 * The JobQueue on BullMQ and Redis, for many workers on many machines. This
 * file is the queue's lifecycle; one run is process-job.ts, the runs held are
 * running-jobs.ts, ids and attempt numbers are job-record.ts.
 *
 * - Enqueue adds the job under its own id (escaped), so BullMQ de-duplicates
 *   it for as long as the job exists: finished jobs are kept for the retention
 *   period (removeOnComplete/removeOnFail by age). A nonce in the stored
 *   record tells whether this call created the job.
 * - Leases are BullMQ locks: lockDuration is the lease, renewed every half of
 *   it. A worker that dies stops renewing; BullMQ's stalled checker (every
 *   half lease, in every worker) moves the job back to waiting and counts the
 *   stall, which process-job.ts counts as a lost attempt.
 * - onFailed is called from inside the run (while the lock is held), never
 *   from a QueueEvents subscription: those events reach every subscriber in
 *   every process, so each would report the failure. BullMQ fails a job by
 *   itself only past maxStalledCount, set above MAX_JOB_ATTEMPTS so our own
 *   count always decides first; if it still happens, the Worker's local
 *   "failed" event (raised only in the one worker that failed the job) reports
 *   it once, after the fact.
 * - stop(grace) stops taking jobs, waits up to the grace period, hands what
 *   still runs back (moveToWait, not counted) and force-closes the Worker.
 */
import { randomUUID } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { specValues } from "../embedded/job-spec.ts";
import { assertOpen, checkGrace, checkStart } from "../lifecycle.ts";
import type { JobHandlers, JobQueue, JobSpec } from "../port.ts";
import { bullJobId, isStoredJob, type StoredJob } from "./job-record.ts";
import { MAX_JOB_ATTEMPTS, describeRedisUrl, resolveBullmqOptions, type BullmqQueueOptions, type ResolvedBullmqOptions } from "./options.ts";
import { processJob, reportBullmqFailure, type RunContext } from "./process-job.ts";
import { RunningJobs } from "./running-jobs.ts";
import { errorMessage } from "../../domain/error-message.ts";

const WAITING = ["wait", "delayed", "prioritized"] as const;
/** Errors BullMQ raises about a run whose lock was lost: expected after a lost lock, already logged as a warning. */
const LOCK_TROUBLE = /could not renew lock|Missing lock for job/;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class BullmqQueue implements JobQueue {
  readonly #options: ResolvedBullmqOptions;
  readonly #queue: Queue;
  readonly #reports = new Set<Promise<void>>();
  #worker: Worker | null = null;
  #runs: RunningJobs | null = null;
  #stopping: Promise<void> | null = null;
  #closed = false;

  /** Use openBullmqQueue(), which waits for Redis. */
  constructor(options: ResolvedBullmqOptions) {
    this.#options = options;
    this.#queue = new Queue(options.queueName, { connection: { url: options.url }, prefix: options.prefix });
    this.#queue.on("error", (error) => this.#redisError("queue", error));
  }

  /** Resolves once Redis answers; rejects (naming the redacted URL) after connectTimeoutMs. */
  async ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#options.connectTimeoutMs} ms`)), this.#options.connectTimeoutMs);
    });
    try {
      await Promise.race([this.#queue.waitUntilReady(), timeout]);
    } catch (error) {
      const reason = errorMessage(error).replace(/\.$/, "");
      throw new Error(`Cannot use Redis at ${describeRedisUrl(this.#options.url)} (REDIS_URL): ${reason}. Check that Redis runs and the URL is right.`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async enqueue(spec: JobSpec): Promise<boolean> {
    this.#assertOpen();
    const v = specValues(spec, this.#options.defaultAttempts);
    if (v.maxAttempts > MAX_JOB_ATTEMPTS) throw new RangeError(`Job ${v.id}: maxAttempts must be at most ${MAX_JOB_ATTEMPTS}, got ${v.maxAttempts}.`);
    const id = bullJobId(v.id);
    const stored: StoredJob = { id: v.id, data: JSON.parse(v.data) as unknown, nonce: randomUUID() };
    const keepSeconds = Math.ceil(this.#options.retentionMs / 1000);
    await this.#queue.add(v.name, stored, {
      jobId: id,
      attempts: v.maxAttempts,
      backoff: { type: "exponential", delay: this.#options.backoffMs, jitter: 0.5 },
      removeOnComplete: { age: keepSeconds },
      removeOnFail: { age: keepSeconds },
    });
    const saved: unknown = (await this.#queue.getJob(id))?.data;
    return isStoredJob(saved) && saved.nonce === stored.nonce;
  }

  async start(handlers: JobHandlers, concurrency: number): Promise<void> {
    await checkStart(() => ({ closed: this.#closed, started: this.#worker !== null }), handlers, concurrency, this.#stopping);
    const { logger, leaseMs } = this.#options;
    const runs = new RunningJobs(logger);
    const ctx: RunContext = { handlers, runs, defaultAttempts: this.#options.defaultAttempts, logger, thrown: new WeakSet() };
    const worker = new Worker(this.#options.queueName, (job, token) => processJob(ctx, job, token), {
      connection: { url: this.#options.url },
      prefix: this.#options.prefix,
      name: this.#options.workerName,
      concurrency,
      lockDuration: leaseMs,
      stalledInterval: Math.max(50, Math.floor(leaseMs / 2)),
      maxStalledCount: MAX_JOB_ATTEMPTS + 1,
    });
    worker.on("error", (error) => this.#redisError("worker", error));
    worker.on("lockRenewalFailed", (ids) => runs.lose(ids));
    worker.on("failed", (job, error) => {
      if (!job || ctx.thrown.has(error)) return;
      const report = reportBullmqFailure(ctx, job, error).finally(() => this.#reports.delete(report));
      this.#reports.add(report);
    });
    this.#worker = worker;
    this.#runs = runs;
    try {
      await worker.waitUntilReady();
    } catch (error) {
      this.#worker = null;
      this.#runs = null;
      await worker.close(true).catch(() => {});
      throw error;
    }
  }

  stop(graceMs: number = this.#options.defaultGraceMs): Promise<void> {
    const badGrace = checkGrace(graceMs);
    if (badGrace) return Promise.reject(badGrace);
    const worker = this.#worker;
    const runs = this.#runs;
    if (!this.#stopping && worker && runs) this.#stopping = this.#drain(worker, runs, graceMs).finally(() => (this.#stopping = null));
    return this.#stopping ?? Promise.resolve();
  }

  async depth(): Promise<number> {
    this.#assertOpen();
    const counts = await this.#queue.getJobCounts(...WAITING);
    return WAITING.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
  }

  async idle(): Promise<void> {
    for (;;) {
      this.#assertOpen();
      const counts = await this.#queue.getJobCounts(...WAITING, "active");
      if (Object.values(counts).every((n) => n === 0) && this.#reports.size === 0) return;
      await sleep(this.#options.pollMs);
    }
  }

  /** Stops without grace (running jobs are handed back at once), then disconnects. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.stop(0);
    this.#closed = true;
    await this.#queue.close();
  }

  /**
   * Stops at once as if the process had died: nothing is handed back (the
   * locks lapse and other workers take the jobs over), running handlers are
   * aborted and their results dropped, connections are dropped. For tests and
   * chaos drills.
   */
  async simulateCrash(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#runs?.abandon("The job queue crashed (simulated).");
    await this.#worker?.close(true);
    this.#worker = null;
    await this.#queue.close();
  }

  async #drain(worker: Worker, runs: RunningJobs, graceMs: number): Promise<void> {
    runs.stopTaking();
    await worker.pause(true);
    await runs.settle(graceMs);
    await runs.handBack();
    await worker.close(true);
    this.#worker = null;
    this.#runs = null;
  }

  #redisError(source: string, error: Error): void {
    const { logger } = this.#options;
    if (LOCK_TROUBLE.test(error.message))
      logger.warn({ source, error: error.message }, "BullMQ could not record a run whose lock was lost; the job's new owner decides its outcome.");
    else logger.error({ source, error: error.message }, "BullMQ reported an error; it reconnects to Redis and retries by itself.");
  }

  #assertOpen(): void {
    assertOpen(this.#closed);
  }
}

/** Connects to Redis (REDIS_URL) and returns the queue; fails with a clear message when Redis cannot be reached. */
export async function openBullmqQueue(options: BullmqQueueOptions): Promise<BullmqQueue> {
  const queue = new BullmqQueue(resolveBullmqOptions(options));
  try {
    await queue.ready();
  } catch (error) {
    await queue.close().catch(() => {});
    throw error;
  }
  return queue;
}
