/**
 * Migration 8 of the PostgreSQL task store, as SQLite's migration 8: `ask`,
 * 1 for a question (the task kind `ask`), 0 otherwise; `kind` keeps `issue`
 * for a question, as on SQLite (rows.ts reads the two columns as one kind on
 * both backends). Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration008Ask: Migration = {
  version: 8,
  name: "ask",
  sql: "ALTER TABLE tasks ADD COLUMN ask smallint NOT NULL DEFAULT 0 CHECK (ask IN (0, 1));",
};
