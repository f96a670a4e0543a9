/**
 * The task's event log and messages on SQLite: the statements the store runs
 * inside its own IMMEDIATE transactions (so a transition and its `state`
 * event, or a message and its `message` event, are written together), and
 * the retention prune (log.ts says when).
 */
import type { SQLInputValue, StatementSync } from "node:sqlite";
import type { LogEventData, TaskLogEvent, TaskMessage } from "../../domain/model.ts";
import { messageEvent, type NewMessage, type PruneSchedule, rowToLogEvent, rowToMessage, wellFormed } from "../log.ts";

type Statement = (sql: string) => StatementSync;
type Row = Record<string, unknown>;

const INSERT_LOG = "INSERT INTO task_log_events (task_id, at, type, data) VALUES (?, ?, ?, ?) RETURNING *";
/** Deletes all but the newest `?` (the OFFSET) events of a task; nothing while it has fewer. */
const PRUNE = `DELETE FROM task_log_events WHERE task_id = ?1 AND id <= (
  SELECT id FROM task_log_events WHERE task_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`;

/** Appends `events` to the task's log (the caller holds the transaction) and prunes it when due. */
export function appendLog(stmt: Statement, schedule: PruneSchedule, taskId: string, events: readonly LogEventData[], at: string): TaskLogEvent[] {
  const insert = stmt(INSERT_LOG);
  const written = events.map((event) => rowToLogEvent(insert.get(taskId, at, event.type, JSON.stringify(wellFormed(event))) as Row));
  if (schedule.due(taskId, events.length)) stmt(PRUNE).run(taskId, schedule.max);
  return written;
}

export function readLog(stmt: Statement, taskId: string, afterId: number, limit: number): TaskLogEvent[] {
  return (stmt("SELECT * FROM task_log_events WHERE task_id = ? AND id > ? ORDER BY id LIMIT ?").all(taskId, afterId, limit) as Row[]).map(rowToLogEvent);
}

/** The newest event id of each task that has events (for the polling feed). */
export function latestIds(stmt: Statement, taskIds: readonly string[]): Map<string, number> {
  if (taskIds.length === 0) return new Map();
  const sql = `SELECT task_id, MAX(id) AS id FROM task_log_events WHERE task_id IN (${taskIds.map(() => "?").join(", ")}) GROUP BY task_id`;
  const rows = stmt(sql).all(...(taskIds as SQLInputValue[])) as Row[];
  return new Map(rows.map((r) => [String(r.task_id), Number(r.id)]));
}

export function insertMessage(stmt: Statement, schedule: PruneSchedule, taskId: string, sent: NewMessage, at: string): TaskMessage {
  const message = wellFormed(sent);
  const row = stmt("INSERT INTO task_messages (task_id, author, face, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *").get(
    taskId,
    message.author,
    message.face,
    message.body,
    at,
  ) as Row;
  appendLog(stmt, schedule, taskId, [messageEvent(message)], at);
  return rowToMessage(row);
}

export function takeWaiting(stmt: Statement, taskId: string, at: string): TaskMessage[] {
  const rows = stmt("UPDATE task_messages SET delivered_at = ? WHERE task_id = ? AND delivered_at IS NULL RETURNING *").all(at, taskId) as Row[];
  return rows.map(rowToMessage).sort((a, b) => a.id - b.id);
}
