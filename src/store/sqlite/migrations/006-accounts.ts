/**
 * Migration 6 of the task store (issue 12: the web app's accounts):
 * - `web_sessions`: one row per signed-in browser, keyed by the hex SHA-256 of
 *   the cookie's secret (the secret itself is never stored), with the user's
 *   sealed GitHub token and the repositories they could see (JSON list) when
 *   last checked. Logins are stored lower-case.
 * - `user_keys`: a user's own provider API key, sealed, one per (login,
 *   provider); `last4` is what the settings page shows.
 * - `spoken_summaries`: a finished task's spoken summary (text, and the WAV
 *   audio when a speech engine made it), one per task, removed with its task.
 * Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration006Accounts: Migration = {
  version: 6,
  name: "accounts",
  sql: `
CREATE TABLE web_sessions (
  id TEXT PRIMARY KEY,
  login TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  csrf_token TEXT NOT NULL,
  github_token TEXT NOT NULL,
  repositories TEXT NOT NULL CHECK (json_valid(repositories)),
  repositories_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE INDEX web_sessions_by_login ON web_sessions (login);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
CREATE INDEX web_sessions_revoked ON web_sessions (revoked_at) WHERE revoked_at IS NOT NULL;

CREATE TABLE user_keys (
  login TEXT NOT NULL,
  provider TEXT NOT NULL CHECK (provider IN ('openai','anthropic','openai-compatible')),
  sealed TEXT NOT NULL,
  last4 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (login, provider)
) STRICT;

CREATE TABLE spoken_summaries (
  task_id TEXT PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
  text_hash TEXT NOT NULL,
  text TEXT NOT NULL,
  audio BLOB,
  engine TEXT,
  created_at TEXT NOT NULL
) STRICT;
`,
};
