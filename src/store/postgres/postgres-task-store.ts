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
import type { Task, TaskEvent, TaskState } from "../../domain/model.ts";
import { assertTransition } from "../../domain/state-machine.ts";
import { StoreClosedError, TaskNotFoundError } from "../errors.ts";
import type { MigrationResult } from "../migrate.ts";
import { patchAssignments, rowToEvent, rowToTask } from "../rows.ts";
import type { CreateResult, NewTask, TaskFilter, TaskPatch, TaskStore, TransitionInput } from "../port.ts";
import { checkFilter, checkNewTask, checkTransition } from "../validate.ts";
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

const INSERT_TASK = `WITH task AS (
    INSERT INTO tasks (id, installation_id, owner, repo, issue_number, kind, state, clone_url, instruction,
      issue_title, requested_by, trigger_comment_id, base_branch, command, plan_version, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9, $10, $11, $12, $15, 0, now(), now())
    ON CONFLICT DO NOTHING RETURNING *
  ), event AS (
    INSERT INTO task_events (task_id, at, from_state, to_state, actor, reason)
    SELECT id, created_at, NULL, 'queued', $13, $14 FROM task
  )
  SELECT * FROM task`;
const INSERT_EVENT = "INSERT INTO task_events (task_id, at, from_state, to_state, actor, reason) VALUES ($1, now(), $2, $3, $4, $5)";

/** `column = ?` fragments of the shared patch helper, numbered as PostgreSQL parameters from `first`. */
const numbered = (fragments: string[], first: number): string[] => fragments.map((f, i) => `${f.slice(0, -1)}$${first + i}`);

export class PostgresTaskStore implements TaskStore {
  #pool: Pool | null;

  /** Use openPostgresStore(); the database must already be migrated. */
  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async create(input: NewTask, actor: string, reason: string): Promise<CreateResult> {
    checkNewTask(input, actor, reason);
    const pool = this.#open();
    const t = newTaskWithoutNul(input);
    const values = [
      randomUUID(),
      t.installationId,
      t.owner,
      t.repo,
      t.issueNumber,
      t.kind,
      t.cloneUrl,
      t.instruction,
      t.issueTitle,
      t.requestedBy,
      t.triggerCommentId,
      t.baseBranch,
      withoutNul(actor),
      withoutNul(reason),
      t.command,
    ];
    for (let i = 0; i < CREATE_TRIES; i++) {
      const inserted = (await pool.query<Row>(INSERT_TASK, values)).rows[0];
      if (inserted) return { created: true, task: rowToTask(inserted) };
      // Refused by a unique index: the same comment already made a task (that task wins, live or not), or the issue has a live task.
      const same = t.triggerCommentId === null ? undefined : (await pool.query<Row>("SELECT * FROM tasks WHERE trigger_comment_id = $1", [t.triggerCommentId])).rows[0];
      const blocker = same ?? (await pool.query<Row>(`SELECT * FROM tasks WHERE ${SAME_ISSUE} AND ${LIVE}`, [t.owner, t.repo, t.issueNumber])).rows[0];
      if (blocker) return { created: false, active: rowToTask(blocker) };
    }
    throw new Error(`Creating a task for ${input.owner}/${input.repo}#${input.issueNumber} kept hitting a uniqueness conflict with no matching task.`);
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
    const keys = (["owner", "repo", "state"] as const).filter((key) => filter[key] !== undefined);
    const conditions = keys.map((key, i) => (key === "state" ? `state = $${i + 1}` : `lower(${key}) = lower($${i + 1})`));
    const clause = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const params: unknown[] = [...keys.map((key) => filter[key]), limit, offset];
    const { rows } = await this.#open().query<Row>(`SELECT * FROM tasks ${clause} ${NEWEST_FIRST} LIMIT $${keys.length + 1} OFFSET $${keys.length + 2}`, params);
    return rows.map(rowToTask);
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    if (pool && !pool.ending) await pool.end();
  }

  /** The body of `transition`, inside its transaction: the row is locked until commit. */
  async #transitionLocked(client: PoolClient, id: string, input: TransitionInput, from: readonly TaskState[], sql: string[], values: unknown[]): Promise<Task | null> {
    const current = (await client.query<Row>("SELECT state, plan_hash FROM tasks WHERE id = $1 FOR UPDATE", [id])).rows[0];
    if (!current) throw new TaskNotFoundError(id);
    const state = current.state as TaskState;
    if (!from.includes(state)) return null;
    assertTransition(state, input.to);
    if (input.planHash !== undefined && current.plan_hash !== input.planHash) return null;
    const params: unknown[] = [id, from, input.to, ...values];
    const hashCondition = input.planHash === undefined ? "" : ` AND plan_hash = $${params.push(input.planHash)}`;
    const update = `UPDATE tasks SET ${["state = $3", "updated_at = now()", ...numbered(sql, 4)].join(", ")}
      WHERE id = $1 AND state = ANY($2)${hashCondition} RETURNING *`;
    const row = (await client.query<Row>(update, params)).rows[0];
    if (!row) return null;
    await client.query(INSERT_EVENT, [id, state, input.to, input.actor, input.reason]);
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
export async function openPostgresStore(url: string, options: PostgresPoolOptions = {}): Promise<PostgresTaskStore> {
  const pool = createPool(url, options);
  try {
    await migrateTasks(pool, url);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresTaskStore(pool);
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
