/**
 * Migration 1 of the task store: the `tasks` table (every Task field; plan,
 * failure and usage as JSON text) and `task_events` (the state history). The
 * database itself enforces one active task per issue (partial unique index over
 * live states) and one task per triggering comment. Owner and repository names
 * compare case-insensitively, as on GitHub. Frozen: later changes go in new files.
 */
import type { Migration } from "../../migrate.ts";

const STATES = "'queued','planning','awaiting_approval','revising','approved','working','testing','done','failed','cancelled'";

export const migration001Tasks: Migration = {
  version: 1,
  name: "tasks",
  sql: `
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  installation_id INTEGER NOT NULL,
  owner TEXT NOT NULL COLLATE NOCASE,
  repo TEXT NOT NULL COLLATE NOCASE,
  issue_number INTEGER NOT NULL CHECK (issue_number > 0),
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
  updated_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX tasks_one_active_per_issue ON tasks (owner, repo, issue_number)
  WHERE state NOT IN ('done','failed','cancelled');
CREATE UNIQUE INDEX tasks_one_per_trigger_comment ON tasks (trigger_comment_id)
  WHERE trigger_comment_id IS NOT NULL;
CREATE INDEX tasks_by_issue ON tasks (owner, repo, issue_number, created_at);
CREATE INDEX tasks_by_pull_request ON tasks (owner, repo, pull_request_number)
  WHERE pull_request_number IS NOT NULL;
CREATE INDEX tasks_by_state ON tasks (state, created_at);
CREATE INDEX tasks_by_created ON tasks (created_at);

CREATE TABLE task_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  from_state TEXT CHECK (from_state IS NULL OR from_state IN (${STATES})),
  to_state TEXT NOT NULL CHECK (to_state IN (${STATES})),
  actor TEXT NOT NULL,
  reason TEXT NOT NULL
) STRICT;

CREATE INDEX task_events_by_task ON task_events (task_id, seq);
`,
};
