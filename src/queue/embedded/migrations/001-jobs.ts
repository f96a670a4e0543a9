/**
 * Migration 1 of the embedded job queue: the `jobs` table. Times are epoch
 * milliseconds (integers, so leases and delays compare cheaply); `attempt`
 * counts runs started; finished rows stay for id de-duplication until pruned.
 * Frozen: later changes go in new files.
 */
import type { Migration } from "../../../store/migrate.ts";

export const migration001Jobs: Migration = {
  version: 1,
  name: "jobs",
  sql: `
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data)),
  state TEXT NOT NULL CHECK (state IN ('waiting','active','completed','failed')),
  attempt INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
  last_error TEXT,
  run_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX jobs_by_run_at ON jobs (state, run_at, created_at);
CREATE INDEX jobs_by_lease ON jobs (state, lease_until);
CREATE INDEX jobs_finished ON jobs (updated_at) WHERE state IN ('completed','failed');
`,
};
