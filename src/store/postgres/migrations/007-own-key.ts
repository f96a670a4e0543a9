/**
 * Migration 7 of the PostgreSQL task store, as SQLite's migration 7:
 * `own_key` (JSONB), the requester's own provider key a task runs on (login,
 * provider, last four characters), null for the operator's. Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration007OwnKey: Migration = {
  version: 7,
  name: "own-key",
  sql: "ALTER TABLE tasks ADD COLUMN own_key jsonb;",
};
