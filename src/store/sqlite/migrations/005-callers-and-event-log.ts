/**
 * Migration 5 of the task store (issue 11: every face, the event log).
 * - `tasks` is rebuilt (SQLite cannot change a column's constraints in place):
 *   `issue_number` may be null (a task created through the API, CLI, MCP or
 *   web app without an issue; otherwise > 0), the state `paused` is allowed,
 *   and the new columns `face` (old tasks came from a thread), `model`,
 *   `pause`, `extra_budget`, `cost_estimate_usd`, `idempotency_key` (unique)
 *   and `idempotency_digest`. The one-active-task-per-issue index still
 *   covers every non-terminal state (so `paused` too) and only tasks with an
 *   issue: two issue-less tasks of a repository never conflict.
 * - `task_events` (history) is rebuilt with `paused` allowed and a `face`.
 *   Old rows get the face their actor implies: `openjules` was OpenJules
 *   itself (system), `cli` the operator's CLI; every other actor was a person
 *   commenting in the thread (thread, more honest than system for them).
 * - `task_log_events`, the ordered event log (ids only increase:
 *   AUTOINCREMENT), started with each task's history as `state` events.
 * - `task_messages`, text waiting for the agent's next turn.
 * Old tables are copied into new ones and dropped before the new ones take
 * their names, so foreign keys never see a missing parent. Frozen.
 */
import type { Migration } from "../../migrate.ts";

const STATES = "'queued','planning','awaiting_approval','revising','approved','working','testing','paused','done','failed','cancelled'";
const FACES = "'thread','api','cli','mcp','web','system'";
const OLD_COLUMNS = `id, installation_id, owner, repo, issue_number, kind, state, clone_url, instruction, issue_title, requested_by,
  trigger_comment_id, base_branch, status_comment_id, plan_comment_id, plan, plan_hash, plan_version, revision_feedback, approved_by,
  approved_plan_hash, answer, branch, pull_request_number, pull_request_url, failure, usage, activity, created_at, updated_at,
  plan_context, plan_comment_created_at, approval_kind, command`;

export const migration005CallersAndEventLog: Migration = {
  version: 5,
  name: "callers-and-event-log",
  sql: `
CREATE TABLE tasks_v5 (
  id TEXT PRIMARY KEY,
  installation_id INTEGER NOT NULL,
  owner TEXT NOT NULL COLLATE NOCASE,
  repo TEXT NOT NULL COLLATE NOCASE,
  issue_number INTEGER CHECK (issue_number IS NULL OR issue_number > 0),
  kind TEXT NOT NULL CHECK (kind IN ('issue','follow_up')),
  state TEXT NOT NULL CHECK (state IN (${STATES})),
  clone_url TEXT NOT NULL,
  instruction TEXT NOT NULL,
  issue_title TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  trigger_comment_id INTEGER,
  base_branch TEXT,
  status_comment_id INTEGER,
  plan_comment_id INTEGER,
  plan TEXT CHECK (plan IS NULL OR json_valid(plan)),
  plan_hash TEXT,
  plan_version INTEGER NOT NULL DEFAULT 0,
  revision_feedback TEXT,
  approved_by TEXT,
  approved_plan_hash TEXT,
  answer TEXT,
  branch TEXT,
  pull_request_number INTEGER,
  pull_request_url TEXT,
  failure TEXT CHECK (failure IS NULL OR json_valid(failure)),
  usage TEXT CHECK (usage IS NULL OR json_valid(usage)),
  activity TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  plan_context TEXT CHECK (plan_context IS NULL OR json_valid(plan_context)),
  plan_comment_created_at TEXT,
  approval_kind TEXT CHECK (approval_kind IS NULL OR approval_kind IN ('person','auto')),
  command TEXT NOT NULL DEFAULT 'jules',
  face TEXT NOT NULL DEFAULT 'thread' CHECK (face IN (${FACES})),
  model TEXT,
  pause TEXT CHECK (pause IS NULL OR json_valid(pause)),
  extra_budget TEXT CHECK (extra_budget IS NULL OR json_valid(extra_budget)),
  cost_estimate_usd REAL,
  idempotency_key TEXT,
  idempotency_digest TEXT
) STRICT;
INSERT INTO tasks_v5 (${OLD_COLUMNS}) SELECT ${OLD_COLUMNS} FROM tasks;

CREATE TABLE task_events_v5 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id TEXT NOT NULL REFERENCES tasks_v5 (id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  from_state TEXT CHECK (from_state IS NULL OR from_state IN (${STATES})),
  to_state TEXT NOT NULL CHECK (to_state IN (${STATES})),
  actor TEXT NOT NULL,
  face TEXT NOT NULL DEFAULT 'system' CHECK (face IN (${FACES})),
  reason TEXT NOT NULL
) STRICT;
INSERT INTO task_events_v5 (seq, task_id, at, from_state, to_state, actor, face, reason)
  SELECT seq, task_id, at, from_state, to_state, actor, CASE actor WHEN 'openjules' THEN 'system' WHEN 'cli' THEN 'cli' ELSE 'thread' END, reason
  FROM task_events ORDER BY seq;

DROP TABLE task_events;
DROP TABLE tasks;
ALTER TABLE tasks_v5 RENAME TO tasks;
ALTER TABLE task_events_v5 RENAME TO task_events;

CREATE UNIQUE INDEX tasks_one_active_per_issue ON tasks (owner, repo, issue_number)
  WHERE issue_number IS NOT NULL AND state NOT IN ('done','failed','cancelled');
CREATE UNIQUE INDEX tasks_one_per_trigger_comment ON tasks (trigger_comment_id)
  WHERE trigger_comment_id IS NOT NULL;
CREATE UNIQUE INDEX tasks_one_per_idempotency_key ON tasks (idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX tasks_by_issue ON tasks (owner, repo, issue_number, created_at);
CREATE INDEX tasks_by_pull_request ON tasks (owner, repo, pull_request_number)
  WHERE pull_request_number IS NOT NULL;
CREATE INDEX tasks_by_state ON tasks (state, created_at);
CREATE INDEX tasks_by_created ON tasks (created_at);
CREATE INDEX task_events_by_task ON task_events (task_id, seq);

CREATE TABLE task_log_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data))
) STRICT;
CREATE INDEX task_log_events_by_task ON task_log_events (task_id, id);
INSERT INTO task_log_events (task_id, at, type, data)
  SELECT task_id, at, 'state', json_object('type', 'state', 'from', from_state, 'to', to_state, 'actor', actor, 'face', face, 'reason', reason)
  FROM task_events ORDER BY seq;

CREATE TABLE task_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  author TEXT NOT NULL,
  face TEXT NOT NULL CHECK (face IN (${FACES})),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  delivered_at TEXT
) STRICT;
CREATE INDEX task_messages_waiting ON task_messages (task_id, id) WHERE delivered_at IS NULL;
`,
};
