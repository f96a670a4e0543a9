/**
 * Migration 8 of the task store (issue 13): `ask`, 1 for a question
 * (`/jules ask`, the task kind `ask`: answered in the thread, never changing
 * code), 0 for every other task, as every task from before it. The `kind`
 * column keeps `issue` for a question: SQLite cannot widen its CHECK in place,
 * and rebuilding `tasks` (with the four tables that point at it) for one more
 * value is out of proportion; rows.ts reads the two columns as one kind.
 * Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration008Ask: Migration = {
  version: 8,
  name: "ask",
  sql: "ALTER TABLE tasks ADD COLUMN ask INTEGER NOT NULL DEFAULT 0 CHECK (ask IN (0, 1));",
};
