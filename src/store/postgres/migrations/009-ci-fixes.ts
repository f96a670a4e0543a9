/**
 * Migration 9 of the PostgreSQL task store, as SQLite's migration 9 (issue
 * 13): `ci_fixes`, one row per failing head commit of a pull request
 * OpenJules opened (what it decided, the failing checks as JSONB, the
 * follow-up task, the commit it pushed and the checks' verdict on it; the
 * `automatic` rows are the attempts counted against max_ci_fix_attempts), and
 * `ci_fix_comments`, the pull request's comment that shows them. Owner and
 * repository are stored lower case. Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration009CiFixes: Migration = {
  version: 9,
  name: "ci-fixes",
  sql: `
CREATE TABLE ci_fixes (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner text NOT NULL,
  repo text NOT NULL,
  pull_request_number integer NOT NULL,
  head_sha text NOT NULL,
  decision text NOT NULL CHECK (decision IN ('pending','started','suggested','requested','skipped')),
  automatic boolean NOT NULL DEFAULT false,
  reason text CHECK (reason IS NULL OR reason IN ('base','human','limit','busy')),
  detail text,
  checks jsonb NOT NULL,
  task_id text REFERENCES tasks (id) ON DELETE SET NULL,
  fix_sha text,
  verdict text CHECK (verdict IS NULL OR verdict IN ('passed','failed')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (owner, repo, pull_request_number, head_sha)
);
CREATE INDEX ci_fixes_by_task ON ci_fixes (task_id) WHERE task_id IS NOT NULL;

CREATE TABLE ci_fix_comments (
  owner text NOT NULL,
  repo text NOT NULL,
  pull_request_number integer NOT NULL,
  comment_id bigint NOT NULL,
  PRIMARY KEY (owner, repo, pull_request_number)
);
`,
};
