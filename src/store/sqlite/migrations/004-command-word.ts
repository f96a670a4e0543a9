/**
 * Migration 4 of the task store: `command`, the command word a task was asked
 * with (jules.yml `command`), so every process renders the status comment's
 * hints with it, also one that never loaded the repository's config (the
 * CLI). Tasks from before it were asked with the word of their time, which
 * no process kept: they get `jules`, the default. Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration004CommandWord: Migration = {
  version: 4,
  name: "command-word",
  sql: "ALTER TABLE tasks ADD COLUMN command TEXT NOT NULL DEFAULT 'jules';",
};
