/**
 * Every SQL statement the embedded queue runs against the `jobs` table. Each
 * method is one statement, hence atomic even with other processes writing the
 * same file. A lease is identified by (id, lease owner, attempt): every write
 * a worker makes about a job it runs is conditional on still holding that
 * lease, so a worker that lost its lease can never overwrite the new owner.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { JobName } from "../port.ts";

export interface JobRow {
  id: string;
  name: JobName;
  data: string;
  state: "waiting" | "active" | "completed" | "failed";
  attempt: number;
  max_attempts: number;
  last_error: string | null;
  run_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

/** Which lease a write is about. */
export interface Lease {
  id: string;
  owner: string;
  attempt: number;
}

const HELD = "id = ? AND state = 'active' AND lease_owner = ? AND attempt = ?";
const MAX_ERROR_CHARS = 4_000;
const clip = (message: string) => (message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS)}…` : message);

export class JobTable {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Adds a waiting job; false when the id exists already (in any state). */
  insert(id: string, name: JobName, data: string, maxAttempts: number, now: number): boolean {
    const sql = `INSERT INTO jobs (id, name, data, state, attempt, max_attempts, run_at, created_at, updated_at)
      VALUES (?, ?, ?, 'waiting', 0, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;
    return this.#run(sql, id, name, data, maxAttempts, now, now, now) === 1;
  }

  /**
   * Takes a job whose worker died on its last attempt (lease expired, no
   * attempts left): it is leased to `owner` so that owner reports the failure.
   */
  reapExhausted(owner: string, now: number, leaseMs: number): JobRow | undefined {
    const expired = "state = 'active' AND lease_until < ? AND attempt >= max_attempts";
    return this.#get(
      `UPDATE jobs SET lease_owner = ?, lease_until = ?, last_error = 'interrupted', updated_at = ?
       WHERE ${expired} AND id = (SELECT id FROM jobs WHERE ${expired} ORDER BY lease_until LIMIT 1) RETURNING *`,
      owner,
      now + leaseMs,
      now,
      now,
      now,
    );
  }

  /**
   * Takes the next runnable job: a waiting one that is due, or one whose
   * worker died with attempts left (that lost run counts as an attempt and
   * leaves "interrupted" as the last error). Starts its next attempt.
   */
  claim(owner: string, now: number, leaseMs: number): JobRow | undefined {
    const runnable = "(state = 'waiting' AND run_at <= ?) OR (state = 'active' AND lease_until < ? AND attempt < max_attempts)";
    return this.#get(
      `UPDATE jobs SET state = 'active', attempt = attempt + 1,
         last_error = CASE WHEN state = 'active' THEN 'interrupted' ELSE last_error END,
         lease_owner = ?, lease_until = ?, updated_at = ?
       WHERE (${runnable}) AND id = (SELECT id FROM jobs WHERE ${runnable} ORDER BY run_at, created_at LIMIT 1) RETURNING *`,
      owner,
      now + leaseMs,
      now,
      now,
      now,
      now,
      now,
    );
  }

  renew(lease: Lease, until: number, now: number): boolean {
    return this.#run(`UPDATE jobs SET lease_until = ?, updated_at = ? WHERE ${HELD}`, until, now, lease.id, lease.owner, lease.attempt) === 1;
  }

  complete(lease: Lease, now: number): boolean {
    return this.#finish(lease, "completed", null, now);
  }

  fail(lease: Lease, error: string, now: number): boolean {
    return this.#finish(lease, "failed", error, now);
  }

  /** Records the final error while keeping the lease, for the time `onFailed` runs. */
  holdForFailure(lease: Lease, error: string, until: number, now: number): boolean {
    return this.#run(`UPDATE jobs SET last_error = ?, lease_until = ?, updated_at = ? WHERE ${HELD}`, clip(error), until, now, lease.id, lease.owner, lease.attempt) === 1;
  }

  /** Ends a failed attempt: the job waits until `runAt` for its next one. */
  retry(lease: Lease, error: string, runAt: number, now: number): boolean {
    const sql = `UPDATE jobs SET state = 'waiting', last_error = ?, run_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE ${HELD}`;
    return this.#run(sql, clip(error), runAt, now, lease.id, lease.owner, lease.attempt) === 1;
  }

  /** Hands a running job back unfinished: waiting again, this attempt not counted. */
  release(lease: Lease, now: number): boolean {
    const sql = `UPDATE jobs SET state = 'waiting', attempt = attempt - 1, run_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE ${HELD}`;
    return this.#run(sql, now, now, lease.id, lease.owner, lease.attempt) === 1;
  }

  /** Gives up a lease at once, so another worker takes the job over now. */
  expire(lease: Lease, now: number): boolean {
    return this.#run(`UPDATE jobs SET lease_owner = NULL, lease_until = ?, updated_at = ? WHERE ${HELD}`, now - 1, now, lease.id, lease.owner, lease.attempt) === 1;
  }

  countWaiting(): number {
    return (this.#stmt("SELECT COUNT(*) AS n FROM jobs WHERE state = 'waiting'").get() as { n: number }).n;
  }

  countUnfinished(): number {
    return (this.#stmt("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('waiting', 'active')").get() as { n: number }).n;
  }

  /** Deletes finished jobs last touched before `before`; returns how many. */
  prune(before: number): number {
    return this.#run("DELETE FROM jobs WHERE state IN ('completed', 'failed') AND updated_at < ?", before);
  }

  #finish(lease: Lease, state: "completed" | "failed", error: string | null, now: number): boolean {
    const sql = `UPDATE jobs SET state = ?, last_error = COALESCE(?, last_error), lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE ${HELD}`;
    return this.#run(sql, state, error === null ? null : clip(error), now, lease.id, lease.owner, lease.attempt) === 1;
  }

  #stmt(sql: string): StatementSync {
    let statement = this.#cache.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#cache.set(sql, statement);
    }
    return statement;
  }

  #run(sql: string, ...params: (string | number | null)[]): number {
    return Number(this.#stmt(sql).run(...params).changes);
  }

  #get(sql: string, ...params: (string | number | null)[]): JobRow | undefined {
    const row = this.#stmt(sql).get(...params);
    return row ? ({ ...row } as unknown as JobRow) : undefined;
  }
}
