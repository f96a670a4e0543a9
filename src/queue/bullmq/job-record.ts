/**
 * What the BullMQ queue stores per job and how a run is numbered, as pure
 * functions. BullMQ refuses ids with ":" (unless in exactly three parts) and
 * all-digit ids, so a spec id is escaped into a BullMQ id; the spec id itself
 * travels in the stored record with the data and a nonce that tells the
 * enqueuer whether its add created the job. A run's attempt number counts lost
 * runs like the embedded queue does: attemptsMade (failures BullMQ recorded)
 * plus stalledCounter (runs whose worker died) plus one; a run handed back on
 * stop moves neither counter, so it is not counted. The run ledger, written to
 * the job's progress when a run starts, tells what ended the previous run.
 */
import type { Job, JobName } from "../port.ts";

/** The job data BullMQ keeps: the spec's id and data, and the nonce of the enqueue that created it. */
export interface StoredJob {
  id: string;
  data: unknown;
  nonce: string;
}

/** Written to the job's progress when a run starts. */
export interface RunLedger {
  attempt: number;
  /** attemptsMade when the run started: a higher count later means this run failed (rather than was lost). */
  failures: number;
  lastError: string | null;
}

/** The counters of a BullMQ job this module reads. */
export interface JobCounters {
  attemptsMade: number;
  stalledCounter: number;
  failedReason: string | undefined;
  progress: unknown;
}

/**
 * The BullMQ id of a spec id, one-to-one: "%" and ":" are escaped, and an id
 * BullMQ would read as an integer gets a "%N" marker, which no escape produces.
 */
export function bullJobId(specId: string): string {
  const escaped = specId.replace(/[%:]/g, (c) => (c === "%" ? "%25" : "%3A"));
  return `${Number.parseInt(escaped, 10)}` === escaped ? `%N${escaped}` : escaped;
}

export function isStoredJob(value: unknown): value is StoredJob {
  const v = value as StoredJob | null;
  return typeof v === "object" && v !== null && typeof v.id === "string" && typeof v.nonce === "string" && "data" in v;
}

function ledgerOf(progress: unknown): RunLedger | null {
  const l = progress as RunLedger | null;
  return typeof l === "object" && l !== null && Number.isSafeInteger(l.attempt) && Number.isSafeInteger(l.failures) ? l : null;
}

/** This run's attempt number and why the previous attempt ended. */
export function runState(job: JobCounters): { attempt: number; lastError: string | null } {
  const attempt = job.attemptsMade + job.stalledCounter + 1;
  const ledger = ledgerOf(job.progress);
  if (ledger?.attempt === attempt) return { attempt, lastError: ledger.lastError ?? null };
  if (attempt === 1) return { attempt, lastError: null };
  const previousFailed = ledger?.attempt === attempt - 1 && job.attemptsMade > ledger.failures;
  return { attempt, lastError: previousFailed ? (job.failedReason ?? null) : "interrupted" };
}

export function ledgerFor(job: JobCounters, attempt: number, lastError: string | null): RunLedger {
  return { attempt, failures: job.attemptsMade, lastError };
}

export function toJob(stored: StoredJob, name: string, attempt: number, maxAttempts: number, lastError: string | null, signal: AbortSignal): Job {
  return { id: stored.id, name: name as JobName, data: stored.data, attempt, maxAttempts, lastError, signal };
}
