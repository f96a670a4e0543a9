/**
 * Migration 7 of the task store (issue 12): `own_key`, the requester's own
 * provider key a task runs on (JSON: login, provider, last four characters;
 * never the key, which stays sealed in `user_keys`), null for a task on the
 * operator's keys, as every task from before it. Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration007OwnKey: Migration = {
  version: 7,
  name: "own-key",
  sql: "ALTER TABLE tasks ADD COLUMN own_key TEXT CHECK (own_key IS NULL OR json_valid(own_key));",
};
