/**
 * One BullMQ run from start to outcome: the processor function the Worker
 * calls. It numbers the run (job-record.ts), records the run ledger, calls the
 * handler, and decides: completed; retried by BullMQ (the error is rethrown,
 * BullMQ applies the backoff); or, with a PermanentJobError or no attempts
 * left, failed after `onFailed` ran, thrown as an UnrecoverableError so BullMQ
 * fails the job whatever its own count. A run whose earlier attempts all died
 * with their workers is not run again: it is reported as interrupted. Like the
 * embedded queue, onFailed runs while this worker still holds the job's lock,
 * so a worker dying during it leaves the report to the next one (at least once
 * across crashes, exactly once otherwise). Errors thrown from here are marked,
 * so the Worker's "failed" listener can tell BullMQ's own failures apart.
 */
import { UnrecoverableError, type Job as BullJob } from "bullmq";
import { INTERRUPTED_MESSAGE } from "../embedded/job-run.ts";
import { asError } from "../embedded/job-spec.ts";
import type { Logger } from "../../domain/logger.ts";
import { PermanentJobError, type Job, type JobHandlers } from "../port.ts";
import { isStoredJob, ledgerFor, runState, toJob } from "./job-record.ts";
import type { Run, RunningJobs } from "./running-jobs.ts";

export interface RunContext {
  handlers: JobHandlers;
  runs: RunningJobs;
  defaultAttempts: number;
  logger: Logger;
  /** Every error this processor threw. */
  thrown: WeakSet<Error>;
}

const never = (): Promise<never> => new Promise<never>(() => {});

function marked(ctx: RunContext, error: Error): Error {
  ctx.thrown.add(error);
  return error;
}

/** Calls onFailed; an onFailed that throws is logged, and the job is failed anyway. */
export async function reportFailure(ctx: RunContext, job: Job, error: Error): Promise<void> {
  try {
    await ctx.handlers.onFailed(job, error);
  } catch (thrown) {
    ctx.logger.error({ jobId: job.id, name: job.name, error: asError(thrown).message }, "The onFailed handler of a job threw; the job is marked failed anyway.");
  }
}

export async function processJob(ctx: RunContext, bullJob: BullJob, token: string | undefined): Promise<void> {
  const stored: unknown = bullJob.data;
  if (!isStoredJob(stored)) {
    ctx.logger.error({ bullJobId: bullJob.id }, "A job in the queue is not an OpenJules job record; it is failed without running.");
    throw marked(ctx, new UnrecoverableError("not an OpenJules job record"));
  }
  const run = ctx.runs.begin(bullJob, token);
  if (!run) return never();
  try {
    const { attempt, lastError } = runState(bullJob);
    const maxAttempts = bullJob.opts.attempts ?? ctx.defaultAttempts;
    if (attempt > maxAttempts) {
      const job = toJob(stored, bullJob.name, maxAttempts, maxAttempts, "interrupted", run.controller.signal);
      return await fail(ctx, run, job, new Error(INTERRUPTED_MESSAGE));
    }
    const job = { ...toJob(stored, bullJob.name, attempt, maxAttempts, lastError, run.controller.signal), readyAt: bullJob.timestamp + (bullJob.delay ?? 0) };
    let error: Error | null = null;
    try {
      await bullJob.updateProgress(ledgerFor(bullJob, attempt, lastError));
      await ctx.handlers.run(job);
    } catch (thrown) {
      error = asError(thrown);
    }
    if (run.detached === "released") return never();
    if (!error) return;
    if (!run.detached && (error instanceof PermanentJobError || attempt >= maxAttempts)) return await fail(ctx, run, job, error);
    throw marked(ctx, error);
  } finally {
    ctx.runs.end(run);
  }
}

async function fail(ctx: RunContext, run: Run, job: Job, error: Error): Promise<never> {
  run.phase = "failing";
  await reportFailure(ctx, job, error);
  if (run.detached === "released") return never();
  throw marked(ctx, new UnrecoverableError(error.message));
}

/**
 * Reports a job BullMQ failed by itself, without calling the processor (past
 * maxStalledCount): called from the Worker's "failed" event, which only the
 * worker that failed the job raises, so it is reported once, after the fact.
 */
export async function reportBullmqFailure(ctx: RunContext, bullJob: BullJob, error: Error): Promise<void> {
  const stored: unknown = bullJob.data;
  if (!isStoredJob(stored)) return;
  const maxAttempts = bullJob.opts.attempts ?? ctx.defaultAttempts;
  const job = toJob(stored, bullJob.name, maxAttempts, maxAttempts, "interrupted", AbortSignal.abort());
  await reportFailure(ctx, job, new Error(`${INTERRUPTED_MESSAGE} (${error.message})`));
}
