/**
 * The embedded TaskStore on SQLite (node:sqlite). Exactly-once rules live in
 * the database: `create` is an INSERT that the partial unique indexes may turn
 * away (one live task per issue, one task per triggering comment), and
 * `transition` is one conditional UPDATE plus its history row inside a
 * BEGIN IMMEDIATE transaction, so concurrent approvals, even from other
 * processes on the same file, apply once. Calls are synchronous underneath
 * (node:sqlite); transactions are short, so other writers wait milliseconds.
 */
import { randomUUID } from "node:crypto";
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { LogEventData, Task, TaskEvent, TaskLogEvent, TaskMessage } from "../../domain/model.ts";
import { assertTransition } from "../../domain/state-machine.ts";
import { StoreClosedError, TaskNotFoundError } from "../errors.ts";
import type { AccountStore, CiFixStore, CreateResult, NewTask, TaskFilter, TaskPatch, TaskStore, TransitionInput } from "../port.ts";
import { SqliteAccountStore } from "./accounts.ts";
import { SqliteCiFixStore } from "./ci-fixes.ts";
import { checkEvents, checkMessage, checkRead, type NewMessage, PruneSchedule, stateEvent, type StoreOptions } from "../log.ts";
import { checkFilter, checkNewTask, checkTransition } from "../validate.ts";
import { inImmediateTransaction, openDatabase } from "./database.ts";
import { migrate } from "./migrate.ts";
import { TASKS_COMPONENT, taskMigrations } from "./migrations/all.ts";
import { kindOf, patchAssignments, rowToEvent, rowToTask } from "../rows.ts";
import { appendLog, insertMessage, latestIds, readLog, takeWaiting } from "./event-log.ts";
import { listQuery } from "../list-query.ts";
import { NEW_TASK_COLUMN_COUNT, NEW_TASK_COLUMNS, newTaskValues, refusedCreate } from "../new-task.ts";

type Row = Record<string, unknown>;

const LIVE = "state NOT IN ('done','failed','cancelled')";
const SAME_ISSUE = "owner = ? AND repo = ? AND issue_number = ?";
const NEWEST_FIRST = "ORDER BY created_at DESC, rowid DESC";
const MAX_CACHED_STATEMENTS = 200;

const INSERT_TASK = `INSERT INTO tasks (${NEW_TASK_COLUMNS}, state, plan_version, created_at, updated_at)
  VALUES (${Array(NEW_TASK_COLUMN_COUNT).fill("?").join(", ")}, 'queued', 0, ?, ?) ON CONFLICT DO NOTHING RETURNING *`;
const INSERT_EVENT = "INSERT INTO task_events (task_id, at, from_state, to_state, actor, face, reason) VALUES (?, ?, ?, ?, ?, ?, ?)";

export class SqliteTaskStore implements TaskStore {
  readonly path: string;
  #db: DatabaseSync | null;
  readonly #statements = new Map<string, StatementSync>();
  readonly #prune: PruneSchedule;
  readonly #stmtFn = (sql: string) => this.#stmt(sql);
  readonly accounts: AccountStore = new SqliteAccountStore(this.#stmtFn);
  readonly ciFixes: CiFixStore = new SqliteCiFixStore(this.#stmtFn);

  /** Use openSqliteStore(); the handle must already be migrated. */
  constructor(db: DatabaseSync, path: string, options: StoreOptions = {}) {
    this.#db = db;
    this.path = path;
    this.#prune = new PruneSchedule(options);
  }

  async create(input: NewTask, actor: string, reason: string): Promise<CreateResult> {
    checkNewTask(input, actor, reason);
    const db = this.#open();
    const now = new Date().toISOString();
    const face = input.face ?? "thread";
    return inImmediateTransaction(db, () => {
      const row = this.#stmt(INSERT_TASK).get(...newTaskValues(randomUUID(), input), now, now) as Row | undefined;
      if (row) {
        const id = String(row.id);
        this.#stmt(INSERT_EVENT).run(id, now, null, "queued", actor, face, reason);
        appendLog(this.#stmtFn, this.#prune, id, [stateEvent(null, "queued", actor, face, reason)], now);
        return { created: true, task: rowToTask(row) };
      }
      return this.#refused(input);
    });
  }

  /** The answer when a unique index refused the insert (new-task.ts). */
  #refused(input: NewTask): CreateResult {
    const key = input.idempotency;
    const byKey = key ? this.#stmt("SELECT * FROM tasks WHERE idempotency_key = ?").get(key.key) : undefined;
    const same = input.triggerCommentId === null ? undefined : this.#stmt("SELECT * FROM tasks WHERE trigger_comment_id = ?").get(input.triggerCommentId);
    const live =
      same ?? (input.issueNumber === null ? undefined : this.#stmt(`SELECT * FROM tasks WHERE ${SAME_ISSUE} AND ${LIVE}`).get(input.owner, input.repo, input.issueNumber));
    const refused = refusedCreate(input, byKey as Row | undefined, live as Row | undefined);
    if (!refused) throw new Error(`Creating a task for ${input.owner}/${input.repo}#${input.issueNumber ?? "(no issue)"} hit a uniqueness conflict with no matching task.`);
    return refused;
  }

  async get(id: string): Promise<Task | null> {
    return this.#one("SELECT * FROM tasks WHERE id = ?", id);
  }

  async findActive(owner: string, repo: string, issueNumber: number): Promise<Task | null> {
    return this.#one(`SELECT * FROM tasks WHERE ${SAME_ISSUE} AND ${LIVE}`, owner, repo, issueNumber);
  }

  async findByPullRequest(owner: string, repo: string, pullRequestNumber: number): Promise<Task | null> {
    return this.#one(`SELECT * FROM tasks WHERE owner = ? AND repo = ? AND pull_request_number = ? ${NEWEST_FIRST} LIMIT 1`, owner, repo, pullRequestNumber);
  }

  async findLatest(owner: string, repo: string, issueNumber: number): Promise<Task | null> {
    return this.#one(`SELECT * FROM tasks WHERE ${SAME_ISSUE} ${NEWEST_FIRST} LIMIT 1`, owner, repo, issueNumber);
  }

  async transition(id: string, input: TransitionInput): Promise<Task | null> {
    const from = checkTransition(input);
    const { sql, values } = patchAssignments(input.patch ?? {});
    const db = this.#open();
    return inImmediateTransaction(db, () => {
      const current = this.#stmt("SELECT state, plan_hash, kind, ask FROM tasks WHERE id = ?").get(id) as Row | undefined;
      if (!current) throw new TaskNotFoundError(id);
      const state = current.state as Task["state"];
      if (!from.includes(state)) return null;
      assertTransition(state, input.to, kindOf(current));
      if (input.planHash !== undefined && current.plan_hash !== input.planHash) return null;
      const now = new Date().toISOString();
      const hashCondition = input.planHash === undefined ? "" : " AND plan_hash = ?";
      const update = `UPDATE tasks SET ${["state = ?", "updated_at = ?", ...sql].join(", ")}
        WHERE id = ? AND state IN (${from.map(() => "?").join(", ")})${hashCondition} RETURNING *`;
      const params: SQLInputValue[] = [input.to, now, ...values, id, ...from];
      if (input.planHash !== undefined) params.push(input.planHash);
      const row = this.#stmt(update).get(...params) as Row | undefined;
      if (!row) return null;
      const face = input.face ?? "system";
      this.#stmt(INSERT_EVENT).run(id, now, state, input.to, input.actor, face, input.reason);
      appendLog(this.#stmtFn, this.#prune, id, [stateEvent(state, input.to, input.actor, face, input.reason)], now);
      return rowToTask(row);
    });
  }

  async update(id: string, patch: TaskPatch): Promise<Task> {
    const { sql, values } = patchAssignments(patch);
    const row =
      sql.length === 0
        ? this.#stmt("SELECT * FROM tasks WHERE id = ?").get(id)
        : this.#stmt(`UPDATE tasks SET ${[...sql, "updated_at = ?"].join(", ")} WHERE id = ? RETURNING *`).get(...values, new Date().toISOString(), id);
    if (!row) throw new TaskNotFoundError(id);
    return rowToTask(row as Row);
  }

  async history(id: string): Promise<TaskEvent[]> {
    return (this.#stmt("SELECT * FROM task_events WHERE task_id = ? ORDER BY seq").all(id) as Row[]).map(rowToEvent);
  }

  async list(filter: TaskFilter = {}): Promise<Task[]> {
    const { limit, offset } = checkFilter(filter);
    const { clause, params } = listQuery(
      filter,
      () => "?",
      (column, p) => `${column} = ${p}`,
    );
    const rows = this.#stmt(`SELECT * FROM tasks ${clause} ${NEWEST_FIRST} LIMIT ? OFFSET ?`).all(...(params as SQLInputValue[]), limit, offset) as Row[];
    return rows.map(rowToTask);
  }

  async appendEvents(taskId: string, events: readonly LogEventData[]): Promise<TaskLogEvent[]> {
    checkEvents(events);
    return this.#withTask(taskId, (now) => appendLog(this.#stmtFn, this.#prune, taskId, events, now));
  }

  async readEvents(taskId: string, afterId: number, limit: number): Promise<TaskLogEvent[]> {
    checkRead(afterId, limit);
    return readLog(this.#stmtFn, taskId, afterId, limit);
  }

  /** The newest event id of each of these tasks that has events (what the polling feed watches). */
  async latestEventIds(taskIds: readonly string[]): Promise<Map<string, number>> {
    return latestIds(this.#stmtFn, taskIds);
  }

  async addMessage(taskId: string, message: NewMessage): Promise<TaskMessage> {
    checkMessage(message);
    return this.#withTask(taskId, (now) => insertMessage(this.#stmtFn, this.#prune, taskId, message, now));
  }

  async takeMessages(taskId: string): Promise<TaskMessage[]> {
    return inImmediateTransaction(this.#open(), () => takeWaiting(this.#stmtFn, taskId, new Date().toISOString()));
  }

  /** Runs `fn` in a write transaction after checking that the task exists. */
  #withTask<T>(taskId: string, fn: (now: string) => T): T {
    return inImmediateTransaction(this.#open(), () => {
      if (!this.#stmt("SELECT 1 FROM tasks WHERE id = ?").get(taskId)) throw new TaskNotFoundError(taskId);
      return fn(new Date().toISOString());
    });
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = null;
    this.#statements.clear();
    if (db?.isOpen) db.close();
  }

  #open(): DatabaseSync {
    if (!this.#db) throw new StoreClosedError();
    return this.#db;
  }

  #stmt(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear();
      statement = this.#open().prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #one(sql: string, ...params: SQLInputValue[]): Task | null {
    const row = this.#stmt(sql).get(...params) as Row | undefined;
    return row ? rowToTask(row) : null;
  }
}

/**
 * Opens (creating if needed) the task store at `path`, e.g.
 * `<JULES_DATA_DIR>/openjules.db`, and brings its schema up to date. Throws
 * SchemaTooNewError for a file written by a newer OpenJules.
 */
export function openSqliteStore(path: string, options: StoreOptions = {}): SqliteTaskStore {
  const db = openDatabase(path);
  try {
    migrate(db, TASKS_COMPONENT, taskMigrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteTaskStore(db, path, options);
}
