/**
 * Migration 9 of the task store (issue 13: fixing its own failing CI):
 * - `ci_fixes`: one row per failing head commit of a pull request OpenJules
 *   opened (owner and repository lower case): what it decided (a follow-up
 *   started automatically or on `/jules fix-ci`, the checks posted with the
 *   suggestion, or skipped and why), the failing checks (JSON), the follow-up
 *   task (kept when the task is removed, as null), the commit it pushed and
 *   what the checks said on it. `automatic` rows are the attempts counted
 *   against max_ci_fix_attempts; `seq` keeps their order.
 * - `ci_fix_comments`: the pull request's comment that shows them, edited in place.
 * Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration009CiFixes: Migration = {
  version: 9,
  name: "ci-fixes",
  sql: `
CREATE TABLE ci_fixes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  owner TEXT NOT NULL,
  repo TEXT NOT NULL,
  pull_request_number INTEGER NOT NULL,
  head_sha TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('pending','started','suggested','requested','skipped')),
  automatic INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1)),
  reason TEXT CHECK (reason IS NULL OR reason IN ('base','human','limit','busy')),
  detail TEXT,
  checks TEXT NOT NULL CHECK (json_valid(checks)),
  task_id TEXT REFERENCES tasks (id) ON DELETE SET NULL,
  fix_sha TEXT,
  verdict TEXT CHECK (verdict IS NULL OR verdict IN ('passed','failed')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (owner, repo, pull_request_number, head_sha)
) STRICT;
CREATE INDEX ci_fixes_by_task ON ci_fixes (task_id) WHERE task_id IS NOT NULL;

CREATE TABLE ci_fix_comments (
  owner TEXT NOT NULL,
  repo TEXT NOT NULL,
  pull_request_number INTEGER NOT NULL,
  comment_id INTEGER NOT NULL,
  PRIMARY KEY (owner, repo, pull_request_number)
) STRICT;
`,
};
