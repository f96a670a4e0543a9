/**
 * Migration 4 of the PostgreSQL task store, as SQLite's migration 4: `command`,
 * the command word a task was asked with (`jules` for tasks from before it).
 * Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration004CommandWord: Migration = {
  version: 4,
  name: "command-word",
  sql: "ALTER TABLE tasks ADD COLUMN command text NOT NULL DEFAULT 'jules';",
};
