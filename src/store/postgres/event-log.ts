/**
 * The task's event log and messages on PostgreSQL, run on the connection of
 * the store's transaction. Every writer of a task's log first locks the
 * task's row (`lockTask`), so one task's events commit in the order of their
 * ids: a reader that saw id N never later finds a smaller id appear (what
 * resuming after Last-Event-ID relies on). The retention prune: log.ts.
 */
import type { PoolClient } from "pg";
import type { LogEventData, TaskLogEvent, TaskMessage } from "../../domain/model.ts";
import { TaskNotFoundError } from "../errors.ts";
import { messageEvent, type NewMessage, type PruneSchedule, rowToLogEvent, rowToMessage } from "../log.ts";
import { withoutNul } from "./nul.ts";

type Row = Record<string, unknown>;
type Queryable = Pick<PoolClient, "query">;

/** Deletes all but the newest $2 events of a task; nothing while it has fewer. */
const PRUNE = `DELETE FROM task_log_events WHERE task_id = $1 AND id <= (
  SELECT id FROM task_log_events WHERE task_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`;

/** Locks the task's row until the transaction ends; throws TaskNotFoundError when there is none. */
export async function lockTask(client: Queryable, taskId: string): Promise<void> {
  const { rows } = await client.query("SELECT 1 FROM tasks WHERE id = $1 FOR NO KEY UPDATE", [taskId]);
  if (!rows[0]) throw new TaskNotFoundError(taskId);
}

/** Appends `events` (the caller holds the task's row lock) and prunes the log when due. */
export async function appendLog(client: Queryable, schedule: PruneSchedule, taskId: string, events: readonly LogEventData[]): Promise<TaskLogEvent[]> {
  if (events.length === 0) return [];
  const clean = events.map((event) => withoutNul(event));
  const { rows } = await client.query<Row>(
    `INSERT INTO task_log_events (task_id, type, data)
      SELECT $1, e->>'type', e FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS a(e, n) ORDER BY n RETURNING *`,
    [taskId, JSON.stringify(clean)],
  );
  if (schedule.due(taskId, events.length)) await client.query(PRUNE, [taskId, schedule.max]);
  return rows.map(rowToLogEvent).sort((a, b) => a.id - b.id);
}

export async function readLog(client: Queryable, taskId: string, afterId: number, limit: number): Promise<TaskLogEvent[]> {
  const { rows } = await client.query<Row>("SELECT * FROM task_log_events WHERE task_id = $1 AND id > $2 ORDER BY id LIMIT $3", [taskId, afterId, limit]);
  return rows.map(rowToLogEvent);
}

/** The newest event id of each task that has events (for the polling feed). */
export async function latestIds(client: Queryable, taskIds: readonly string[]): Promise<Map<string, number>> {
  if (taskIds.length === 0) return new Map();
  const { rows } = await client.query<Row>("SELECT task_id, MAX(id) AS id FROM task_log_events WHERE task_id = ANY($1) GROUP BY task_id", [taskIds]);
  return new Map(rows.map((r) => [String(r.task_id), Number(r.id)]));
}

export async function insertMessage(client: Queryable, schedule: PruneSchedule, taskId: string, message: NewMessage): Promise<TaskMessage> {
  const m = withoutNul(message);
  const { rows } = await client.query<Row>("INSERT INTO task_messages (task_id, author, face, body) VALUES ($1, $2, $3, $4) RETURNING *", [taskId, m.author, m.face, m.body]);
  await appendLog(client, schedule, taskId, [messageEvent(m)]);
  return rowToMessage(rows[0]!);
}

/** Marks the task's waiting messages delivered and returns them, oldest first; a concurrent taker skips the rows this one holds. */
export async function takeWaiting(client: Queryable, taskId: string): Promise<TaskMessage[]> {
  const { rows } = await client.query<Row>(
    `UPDATE task_messages SET delivered_at = now() WHERE id IN (
      SELECT id FROM task_messages WHERE task_id = $1 AND delivered_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED) RETURNING *`,
    [taskId],
  );
  return rows.map(rowToMessage).sort((a, b) => a.id - b.id);
}
