/**
 * One leased job from claim to outcome. `runAttempt` calls the handler and
 * records what happened: completed; waiting for a retry after a backoff; or,
 * with no attempts left or a PermanentJobError, failed after `onFailed`.
 * `reportInterrupted` handles a job whose worker died on its last attempt.
 * While `onFailed` runs the job keeps its lease, so if this worker dies too,
 * another one reports the failure: `onFailed` runs once per failure in normal
 * operation and at least once across crashes (it should be idempotent).
 */
import { PermanentJobError, type Job, type JobHandlers } from "../port.ts";
import { backoffDelay } from "./backoff.ts";
import { asError, toJob } from "./job-spec.ts";
import type { JobRow, JobTable, Lease } from "./job-table.ts";
import type { ResolvedQueueOptions } from "./options.ts";

export const INTERRUPTED_MESSAGE = "interrupted: the worker running this job stopped";

/** A job this worker holds. `detached` once its result no longer counts (handed back, lease lost, queue gone). */
export interface RunningJob {
  lease: Lease;
  controller: AbortController;
  phase: "run" | "failing";
  detached: boolean;
}

export interface RunContext {
  table: JobTable;
  handlers: JobHandlers;
  options: ResolvedQueueOptions;
}

function leaseLost(entry: RunningJob, ctx: RunContext, step: string): void {
  entry.detached = true;
  ctx.options.logger.warn(
    { jobId: entry.lease.id, attempt: entry.lease.attempt, step },
    "Lost the lease on a job before recording its outcome; another worker has taken it over, so this result is dropped.",
  );
}

export async function runAttempt(entry: RunningJob, row: JobRow, ctx: RunContext): Promise<void> {
  const job = toJob(row, entry.controller.signal);
  let error: Error | null = null;
  try {
    await ctx.handlers.run(job);
  } catch (thrown) {
    error = asError(thrown);
  }
  if (entry.detached) return;
  const now = Date.now();
  if (!error) {
    if (!ctx.table.complete(entry.lease, now)) leaseLost(entry, ctx, "complete");
    return;
  }
  if (error instanceof PermanentJobError || job.attempt >= job.maxAttempts) {
    await finalFailure(entry, job, error, error.message, ctx);
    return;
  }
  const runAt = now + backoffDelay(job.attempt, ctx.options.backoffMs, ctx.options.maxBackoffMs);
  if (!ctx.table.retry(entry.lease, error.message, runAt, now)) leaseLost(entry, ctx, "retry");
}

export async function reportInterrupted(entry: RunningJob, row: JobRow, ctx: RunContext): Promise<void> {
  await finalFailure(entry, toJob(row, entry.controller.signal), new Error(INTERRUPTED_MESSAGE), "interrupted", ctx);
}

async function finalFailure(entry: RunningJob, job: Job, error: Error, lastError: string, ctx: RunContext): Promise<void> {
  entry.phase = "failing";
  const now = Date.now();
  if (!ctx.table.holdForFailure(entry.lease, lastError, now + ctx.options.leaseMs, now)) return leaseLost(entry, ctx, "hold");
  try {
    await ctx.handlers.onFailed(job, error);
  } catch (thrown) {
    ctx.options.logger.error({ jobId: job.id, name: job.name, error: asError(thrown).message }, "The onFailed handler of a job threw; the job is marked failed anyway.");
  }
  if (entry.detached) return;
  if (!ctx.table.fail(entry.lease, lastError, Date.now())) leaseLost(entry, ctx, "fail");
}
