/**
 * The TaskStore on PostgreSQL, for many web and worker processes on many
 * machines. Exactly-once rules live in the database: `create` is one INSERT
 * ... ON CONFLICT DO NOTHING (with its history row in the same statement)
 * that the partial unique indexes turn away for a second live task per issue
 * or a second task per triggering comment; `transition` locks the row
 * (SELECT ... FOR UPDATE), checks the move, and applies a conditional UPDATE
 * plus its history row in one transaction, so concurrent approvals from any
 * number of processes apply once. Times come from the database clock, the one
 * clock every machine shares. Row mapping and patch checks are shared with
 * SQLite (../sqlite/rows.ts), so both backends accept and return the same;
 * NUL characters, which PostgreSQL cannot store, are replaced (nul.ts).
 */
import { randomUUID } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import type { LogEventData, Task, TaskEvent, TaskLogEvent, TaskMessage, TaskState } from "../../domain/model.ts";
import { assertTransition } from "../../domain/state-machine.ts";
import { StoreClosedError, TaskNotFoundError } from "../errors.ts";
import type { MigrationResult } from "../migrate.ts";
import { kindOf, patchAssignments, rowToEvent, rowToTask } from "../rows.ts";
import type { AccountStore, CiFixStore, CreateResult, NewTask, TaskFilter, TaskPatch, TaskStore, TransitionInput } from "../port.ts";
import { PostgresAccountStore } from "./accounts.ts";
import { PostgresCiFixStore } from "./ci-fixes.ts";
import { listQuery } from "../list-query.ts";
import { NEW_TASK_COLUMN_COUNT, NEW_TASK_COLUMNS, newTaskValues, refusedCreate } from "../new-task.ts";
import { checkEvents, checkMessage, checkRead, type NewMessage, PruneSchedule, stateEvent, type StoreOptions } from "../log.ts";
import { checkFilter, checkNewTask, checkTransition } from "../validate.ts";
import { appendLog, insertMessage, latestIds, lockTask, readLog, takeWaiting } from "./event-log.ts";
import { connectionError, createPool, inTransaction, type PostgresPoolOptions } from "./connection.ts";
import { migrate } from "./migrate.ts";
import { TASKS_COMPONENT, taskMigrations } from "./migrations/all.ts";
import { newTaskWithoutNul, patchWithoutNul, withoutNul } from "./nul.ts";

type Row = Record<string, unknown>;

const LIVE = "state NOT IN ('done','failed','cancelled')";
const SAME_ISSUE = "lower(owner) = lower($1) AND lower(repo) = lower($2) AND issue_number = $3";
const NEWEST_FIRST = "ORDER BY created_at DESC, seq DESC";
/** A refused create whose blocker ended before it could be read is tried again this many times. */
const CREATE_TRIES = 5;

/** $1-$N: the new task's values (new-task.ts, N = NEW_TASK_COLUMN_COUNT); then the actor, the reason and the `state` event. */
const [ACTOR, REASON, STATE_EVENT] = [1, 2, 3].map((i) => `$${NEW_TASK_COLUMN_COUNT + i}`);
const INSERT_TASK = `WITH task AS (
    INSERT INTO tasks (${NEW_TASK_COLUMNS}, state, plan_version, created_at, updated_at)
    VALUES (${Array.from({ length: NEW_TASK_COLUMN_COUNT }, (_, i) => `$${i + 1}`).join(", ")}, 'queued', 0, now(), now())
    ON CONFLICT DO NOTHING RETURNING *
  ), event AS (
    INSERT INTO task_events (task_id, at, from_state, to_state, actor, face, reason)
    SELECT id, created_at, NULL, 'queued', ${ACTOR}, face, ${REASON} FROM task
  ), log AS (
    INSERT INTO task_log_events (task_id, at, type, data)
    SELECT id, created_at, 'state', ${STATE_EVENT}::jsonb FROM task
  )
  SELECT * FROM task`;
const INSERT_EVENT = "INSERT INTO task_events (task_id, at, from_state, to_state, actor, face, reason) VALUES ($1, now(), $2, $3, $4, $5, $6)";

/** `column = ?` fragments of the shared patch helper, numbered as PostgreSQL parameters from `first`. */
const numbered = (fragments: string[], first: number): string[] => fragments.map((f, i) => `${f.slice(0, -1)}$${first + i}`);

export class PostgresTaskStore implements TaskStore {
  #pool: Pool | null;
  readonly #prune: PruneSchedule;
  readonly accounts: AccountStore = new PostgresAccountStore(() => this.#open());
  readonly ciFixes: CiFixStore = new PostgresCiFixStore(() => this.#open());

  /** Use openPostgresStore(); the database must already be migrated. */
  constructor(pool: Pool, options: StoreOptions = {}) {
    this.#pool = pool;
    this.#prune = new PruneSchedule(options);
  }

  async create(input: NewTask, actor: string, reason: string): Promise<CreateResult> {
    checkNewTask(input, actor, reason);
    const pool = this.#open();
    const t = newTaskWithoutNul(input);
    const [by, why] = [withoutNul(actor), withoutNul(reason)];
    const values = [...newTaskValues(randomUUID(), t), by, why, JSON.stringify(stateEvent(null, "queued", by, t.face ?? "thread", why))];
    for (let i = 0; i < CREATE_TRIES; i++) {
      const inserted = (await pool.query<Row>(INSERT_TASK, values)).rows[0];
      if (inserted) return { created: true, task: rowToTask(inserted) };
      const refused = await this.#refused(pool, t);
      if (refused) return refused;
    }
    throw new Error(`Creating a task for ${input.owner}/${input.repo}#${input.issueNumber ?? "(no issue)"} kept hitting a uniqueness conflict with no matching task.`);
  }

  /** The answer when a unique index refused the insert (new-task.ts), or null when its blocker ended in between. */
  async #refused(pool: Pool, t: NewTask): Promise<CreateResult | null> {
    const first = async (sql: string, params: unknown[]) => (await pool.query<Row>(sql, params)).rows[0];
    const byKey = t.idempotency ? await first("SELECT * FROM tasks WHERE idempotency_key = $1", [t.idempotency.key]) : undefined;
    if (byKey) return refusedCreate(t, byKey, undefined);
    const same = t.triggerCommentId === null ? undefined : await first("SELECT * FROM tasks WHERE trigger_comment_id = $1", [t.triggerCommentId]);
    const live = same ?? (t.issueNumber === null ? undefined : await first(`SELECT * FROM tasks WHERE ${SAME_ISSUE} AND ${LIVE}`, [t.owner, t.repo, t.issueNumber]));
    return refusedCreate(t, undefined, live);
  }

  async get(id: string): Promise<Task | null> {
    return this.#one("SELECT * FROM tasks WHERE id = $1", [id]);
  }

  async findActive(owner: string, repo: string, issueNumber: number): Promise<Task | null> {
    return this.#one(`SELECT * FROM tasks WHERE ${SAME_ISSUE} AND ${LIVE}`, [owner, repo, issueNumber]);
  }

  async findByPullRequest(owner: string, repo: string, pullRequestNumber: number): Promise<Task | null> {
    return this.#one(`SELECT * FROM tasks WHERE lower(owner) = lower($1) AND lower(repo) = lower($2) AND pull_request_number = $3 ${NEWEST_FIRST} LIMIT 1`, [
      owner,
      repo,
      pullRequestNumber,
    ]);
  }

  async findLatest(owner: string, repo: string, issueNumber: number): Promise<Task | null> {
    return this.#one(`SELECT * FROM tasks WHERE ${SAME_ISSUE} ${NEWEST_FIRST} LIMIT 1`, [owner, repo, issueNumber]);
  }

  async transition(id: string, input: TransitionInput): Promise<Task | null> {
    const from = checkTransition(input);
    const { sql, values } = patchAssignments(patchWithoutNul(input.patch ?? {}));
    const clean = { ...input, actor: withoutNul(input.actor), reason: withoutNul(input.reason) };
    return inTransaction(this.#open(), (client) => this.#transitionLocked(client, id, clean, from, sql, values));
  }

  async update(id: string, patch: TaskPatch): Promise<Task> {
    const { sql, values } = patchAssignments(patchWithoutNul(patch));
    const pool = this.#open();
    const { rows } =
      sql.length === 0
        ? await pool.query<Row>("SELECT * FROM tasks WHERE id = $1", [id])
        : await pool.query<Row>(`UPDATE tasks SET ${[...numbered(sql, 2), "updated_at = now()"].join(", ")} WHERE id = $1 RETURNING *`, [id, ...values]);
    if (!rows[0]) throw new TaskNotFoundError(id);
    return rowToTask(rows[0]);
  }

  async history(id: string): Promise<TaskEvent[]> {
    const { rows } = await this.#open().query<Row>("SELECT * FROM task_events WHERE task_id = $1 ORDER BY seq", [id]);
    return rows.map(rowToEvent);
  }

  async list(filter: TaskFilter = {}): Promise<Task[]> {
    const { limit, offset } = checkFilter(filter);
    const { clause, params } = listQuery(
      filter,
      (n) => `$${n}`,
      (column, p) => `lower(${column}) = lower(${p})`,
    );
    const n = params.length;
    const { rows } = await this.#open().query<Row>(`SELECT * FROM tasks ${clause} ${NEWEST_FIRST} LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, limit, offset]);
    return rows.map(rowToTask);
  }

  async appendEvents(taskId: string, events: readonly LogEventData[]): Promise<TaskLogEvent[]> {
    checkEvents(events);
    return inTransaction(this.#open(), async (client) => {
      await lockTask(client, taskId);
      return appendLog(client, this.#prune, taskId, events);
    });
  }

  async readEvents(taskId: string, afterId: number, limit: number): Promise<TaskLogEvent[]> {
    checkRead(afterId, limit);
    return readLog(this.#open(), taskId, afterId, limit);
  }

  /** The newest event id of each of these tasks that has events (what the polling feed watches). */
  async latestEventIds(taskIds: readonly string[]): Promise<Map<string, number>> {
    return latestIds(this.#open(), taskIds);
  }

  async addMessage(taskId: string, message: NewMessage): Promise<TaskMessage> {
    checkMessage(message);
    return inTransaction(this.#open(), async (client) => {
      await lockTask(client, taskId);
      return insertMessage(client, this.#prune, taskId, message);
    });
  }

  async takeMessages(taskId: string): Promise<TaskMessage[]> {
    return takeWaiting(this.#open(), taskId);
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    if (pool && !pool.ending) await pool.end();
  }

  /** The body of `transition`, inside its transaction: the row is locked until commit. */
  async #transitionLocked(client: PoolClient, id: string, input: TransitionInput, from: readonly TaskState[], sql: string[], values: unknown[]): Promise<Task | null> {
    const current = (await client.query<Row>("SELECT state, plan_hash, kind, ask FROM tasks WHERE id = $1 FOR UPDATE", [id])).rows[0];
    if (!current) throw new TaskNotFoundError(id);
    const state = current.state as TaskState;
    if (!from.includes(state)) return null;
    assertTransition(state, input.to, kindOf(current));
    if (input.planHash !== undefined && current.plan_hash !== input.planHash) return null;
    const params: unknown[] = [id, from, input.to, ...values];
    const hashCondition = input.planHash === undefined ? "" : ` AND plan_hash = $${params.push(input.planHash)}`;
    const update = `UPDATE tasks SET ${["state = $3", "updated_at = now()", ...numbered(sql, 4)].join(", ")}
      WHERE id = $1 AND state = ANY($2)${hashCondition} RETURNING *`;
    const row = (await client.query<Row>(update, params)).rows[0];
    if (!row) return null;
    const face = input.face ?? "system";
    await client.query(INSERT_EVENT, [id, state, input.to, input.actor, face, input.reason]);
    await appendLog(client, this.#prune, id, [stateEvent(state, input.to, input.actor, face, input.reason)]);
    return rowToTask(row);
  }

  #open(): Pool {
    if (!this.#pool) throw new StoreClosedError();
    return this.#pool;
  }

  async #one(sql: string, params: unknown[]): Promise<Task | null> {
    const row = (await this.#open().query<Row>(sql, params)).rows[0];
    return row ? rowToTask(row) : null;
  }
}

/**
 * Connects to the database at `url` (DATABASE_URL) and brings its schema up
 * to date. Throws a message naming the redacted URL when the server cannot be
 * reached, and SchemaTooNewError for a database migrated by a newer
 * OpenJules. The pool is ended when opening fails.
 */
export async function openPostgresStore(url: string, options: PostgresPoolOptions & StoreOptions = {}): Promise<PostgresTaskStore> {
  const pool = createPool(url, options);
  try {
    await migrateTasks(pool, url);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresTaskStore(pool, options);
}

/** Applies the task store's pending migrations (the operator's `migrate` command) and disconnects. */
export async function migratePostgres(url: string, options: PostgresPoolOptions = {}): Promise<MigrationResult> {
  const pool = createPool(url, { ...options, maxConnections: 1 });
  try {
    return await migrateTasks(pool, url);
  } finally {
    await pool.end();
  }
}

async function migrateTasks(pool: Pool, url: string): Promise<MigrationResult> {
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    throw connectionError(url, error);
  }
  return migrate(pool, TASKS_COMPONENT, taskMigrations);
}
