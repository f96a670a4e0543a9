/**
 * Migration 1 of the PostgreSQL task store: the same `tasks` and
 * `task_events` tables as SQLite's migration 1, in PostgreSQL types: GitHub
 * ids as bigint, plan/failure/usage as JSONB, times as timestamptz, and an
 * identity column that orders rows created in the same instant. The database
 * enforces one active task per issue (partial unique index over live states)
 * and one task per triggering comment. Owner and repository names compare
 * case-insensitively, as on GitHub, through lower() in the indexes and queries.
 * Frozen: later changes go in new files.
 */
import type { Migration } from "../../migrate.ts";

const STATES = "'queued','planning','awaiting_approval','revising','approved','working','testing','done','failed','cancelled'";

export const migration001Tasks: Migration = {
  version: 1,
  name: "tasks",
  sql: `
CREATE TABLE tasks (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  installation_id bigint NOT NULL,
  owner text NOT NULL,
  repo text NOT NULL,
  issue_number bigint NOT NULL CHECK (issue_number > 0),
  kind text NOT NULL CHECK (kind IN ('issue','follow_up')),
  state text NOT NULL CHECK (state IN (${STATES})),
  clone_url text NOT NULL,
  instruction text NOT NULL,
  issue_title text NOT NULL,
  requested_by text NOT NULL,
  trigger_comment_id bigint,
  base_branch text,
  status_comment_id bigint,
  plan_comment_id bigint,
  plan jsonb,
  plan_hash text,
  plan_version bigint NOT NULL DEFAULT 0,
  revision_feedback text,
  approved_by text,
  approved_plan_hash text,
  answer text,
  branch text,
  pull_request_number bigint,
  pull_request_url text,
  failure jsonb,
  usage jsonb,
  activity text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX tasks_one_active_per_issue ON tasks (lower(owner), lower(repo), issue_number)
  WHERE state NOT IN ('done','failed','cancelled');
CREATE UNIQUE INDEX tasks_one_per_trigger_comment ON tasks (trigger_comment_id)
  WHERE trigger_comment_id IS NOT NULL;
CREATE INDEX tasks_by_issue ON tasks (lower(owner), lower(repo), issue_number, created_at);
CREATE INDEX tasks_by_pull_request ON tasks (lower(owner), lower(repo), pull_request_number)
  WHERE pull_request_number IS NOT NULL;
CREATE INDEX tasks_by_state ON tasks (state, created_at);
CREATE INDEX tasks_by_created ON tasks (created_at, seq);

CREATE TABLE task_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id text NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  from_state text CHECK (from_state IS NULL OR from_state IN (${STATES})),
  to_state text NOT NULL CHECK (to_state IN (${STATES})),
  actor text NOT NULL,
  reason text NOT NULL
);

CREATE INDEX task_events_by_task ON task_events (task_id, seq);
`,
};
