/**
 * Migration 5 of the PostgreSQL task store, as SQLite's migration 5 (issue
 * 11), in place since PostgreSQL can change constraints:
 * - `issue_number` may be null (a task without an issue; its CHECK > 0
 *   passes for null), `paused` is a state of tasks and history, and the new
 *   task columns `face` (old tasks came from a thread), `model`, `pause`,
 *   `extra_budget`, `cost_estimate_usd`, `idempotency_key` (unique) and
 *   `idempotency_digest`.
 * - The one-active-task-per-issue index is recreated for tasks with an issue
 *   only (two issue-less tasks never conflict); its WHERE names the terminal
 *   states, so `paused` counts as active.
 * - History gets `face`: `openjules` rows were OpenJules itself (system),
 *   `cli` the operator's CLI, every other actor a person in the thread.
 * - `task_log_events` (the ordered event log, started with each task's
 *   history as `state` events) and `task_messages`.
 * Frozen.
 */
import type { Migration } from "../../migrate.ts";

const STATES = "'queued','planning','awaiting_approval','revising','approved','working','testing','paused','done','failed','cancelled'";
const FACES = "'thread','api','cli','mcp','web','system'";

export const migration005CallersAndEventLog: Migration = {
  version: 5,
  name: "callers-and-event-log",
  sql: `
ALTER TABLE tasks ALTER COLUMN issue_number DROP NOT NULL;
ALTER TABLE tasks DROP CONSTRAINT tasks_state_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_state_check CHECK (state IN (${STATES}));
ALTER TABLE tasks
  ADD COLUMN face text NOT NULL DEFAULT 'thread' CHECK (face IN (${FACES})),
  ADD COLUMN model text,
  ADD COLUMN pause jsonb,
  ADD COLUMN extra_budget jsonb,
  ADD COLUMN cost_estimate_usd double precision,
  ADD COLUMN idempotency_key text,
  ADD COLUMN idempotency_digest text;

DROP INDEX tasks_one_active_per_issue;
CREATE UNIQUE INDEX tasks_one_active_per_issue ON tasks (lower(owner), lower(repo), issue_number)
  WHERE issue_number IS NOT NULL AND state NOT IN ('done','failed','cancelled');
CREATE UNIQUE INDEX tasks_one_per_idempotency_key ON tasks (idempotency_key)
  WHERE idempotency_key IS NOT NULL;

ALTER TABLE task_events DROP CONSTRAINT task_events_from_state_check;
ALTER TABLE task_events DROP CONSTRAINT task_events_to_state_check;
ALTER TABLE task_events ADD CONSTRAINT task_events_from_state_check CHECK (from_state IS NULL OR from_state IN (${STATES}));
ALTER TABLE task_events ADD CONSTRAINT task_events_to_state_check CHECK (to_state IN (${STATES}));
ALTER TABLE task_events ADD COLUMN face text NOT NULL DEFAULT 'system' CHECK (face IN (${FACES}));
UPDATE task_events SET face = CASE actor WHEN 'cli' THEN 'cli' ELSE 'thread' END WHERE actor <> 'openjules';

CREATE TABLE task_log_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id text NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  type text NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX task_log_events_by_task ON task_log_events (task_id, id);
INSERT INTO task_log_events (task_id, at, type, data)
  SELECT task_id, at, 'state', jsonb_build_object('type', 'state', 'from', from_state, 'to', to_state, 'actor', actor, 'face', face, 'reason', reason)
  FROM task_events ORDER BY seq;

CREATE TABLE task_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id text NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  author text NOT NULL,
  face text NOT NULL CHECK (face IN (${FACES})),
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX task_messages_waiting ON task_messages (task_id, id) WHERE delivered_at IS NULL;
`,
};
