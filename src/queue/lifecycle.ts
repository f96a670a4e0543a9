/**
 * What every queue backend checks in start() and stop() and once closed, with
 * the same errors (the contract suites in test/queue/ hold both to them).
 */
import type { JobHandlers } from "./port.ts";

export interface QueueState {
  closed: boolean;
  /** Taking jobs (start() resolved and no stop() since). */
  started: boolean;
}

export function assertOpen(closed: boolean): void {
  if (closed) throw new Error("The job queue is closed; it cannot be used after close().");
}

function assertStartable(state: QueueState): void {
  assertOpen(state.closed);
  if (state.started) throw new Error("The job queue is already started; stop() it before starting it again.");
}

/**
 * start()'s checks: open, not started, handlers with run() and onFailed(), a
 * positive whole concurrency; then, once a stop in progress has finished, open
 * and not started again (a close() or another start() may have come meanwhile).
 */
export async function checkStart(state: () => QueueState, handlers: JobHandlers, concurrency: number, stopping: Promise<void> | null): Promise<void> {
  assertStartable(state());
  if (typeof handlers?.run !== "function" || typeof handlers.onFailed !== "function") throw new TypeError("start() needs handlers with run() and onFailed().");
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`Concurrency must be a positive integer, got ${String(concurrency)}.`);
  await stopping;
  assertStartable(state());
}

/** The error for a grace period stop() cannot wait, or null. */
export function checkGrace(graceMs: number): RangeError | null {
  return Number.isFinite(graceMs) && graceMs >= 0 ? null : new RangeError(`The grace period must be ≥ 0 ms, got ${graceMs}.`);
}
