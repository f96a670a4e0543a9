/**
 * Conversions at the edge of the embedded queue: a JobSpec checked and turned
 * into column values (data as JSON text), and a claimed row turned into the
 * Job object handlers receive. Bad specs fail with a message naming the field.
 */
import type { Job, JobName, JobSpec } from "../port.ts";
import type { JobRow } from "./job-table.ts";

export const MAX_JOB_ID_LENGTH = 512;

export interface SpecValues {
  id: string;
  name: JobName;
  data: string;
  maxAttempts: number;
}

export function specValues(spec: JobSpec, defaultAttempts: number): SpecValues {
  if (typeof spec?.id !== "string" || spec.id.trim() === "" || spec.id.length > MAX_JOB_ID_LENGTH) {
    throw new TypeError(`A job id must be a non-empty string of at most ${MAX_JOB_ID_LENGTH} characters.`);
  }
  if (typeof spec.name !== "string" || spec.name.trim() === "") throw new TypeError(`Job ${spec.id} needs a name.`);
  const maxAttempts = spec.maxAttempts ?? defaultAttempts;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`Job ${spec.id}: maxAttempts must be a positive integer, got ${String(spec.maxAttempts)}.`);
  let data: string | undefined;
  try {
    data = JSON.stringify(spec.data);
  } catch (error) {
    throw new TypeError(`Job ${spec.id}: data must be JSON-serializable (${(error as Error).message}).`, { cause: error });
  }
  return { id: spec.id, name: spec.name, data: data ?? "null", maxAttempts };
}

/** The Job a handler sees for a claimed row (`data` parsed back from JSON). */
export function toJob(row: JobRow, signal: AbortSignal): Job {
  return {
    id: row.id,
    name: row.name,
    data: JSON.parse(row.data) as unknown,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    signal,
    readyAt: row.run_at,
  };
}

/** Anything thrown, as an Error (handlers may throw strings or objects). */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === "string") return new Error(thrown);
  try {
    return new Error(`Non-error thrown: ${JSON.stringify(thrown)}`);
  } catch {
    return new Error(`Non-error thrown: ${String(thrown)}`);
  }
}
