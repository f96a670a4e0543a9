/**
 * Migration 6 of the PostgreSQL task store, as SQLite's migration 6 (issue
 * 12): `web_sessions` (keyed by the hex SHA-256 of the cookie's secret, with
 * the sealed GitHub token and the repositories the user could see as JSONB),
 * `user_keys` (a user's sealed provider key, one per login and provider) and
 * `spoken_summaries` (a finished task's summary text and WAV audio, removed
 * with its task). Logins are stored lower-case. Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration006Accounts: Migration = {
  version: 6,
  name: "accounts",
  sql: `
CREATE TABLE web_sessions (
  id text PRIMARY KEY,
  login text NOT NULL,
  user_id bigint NOT NULL,
  csrf_token text NOT NULL,
  github_token text NOT NULL,
  repositories jsonb NOT NULL,
  repositories_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX web_sessions_by_login ON web_sessions (login);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
CREATE INDEX web_sessions_revoked ON web_sessions (revoked_at) WHERE revoked_at IS NOT NULL;

CREATE TABLE user_keys (
  login text NOT NULL,
  provider text NOT NULL CHECK (provider IN ('openai','anthropic','openai-compatible')),
  sealed text NOT NULL,
  last4 text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (login, provider)
);

CREATE TABLE spoken_summaries (
  task_id text PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
  text_hash text NOT NULL,
  text text NOT NULL,
  audio bytea,
  engine text,
  created_at timestamptz NOT NULL
);
`,
};
