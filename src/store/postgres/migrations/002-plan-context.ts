/**
 * Migration 2 of the PostgreSQL task store, as SQLite's migration 2:
 * `plan_context` (JSONB), the thread snapshot the current plan was made from,
 * written with every plan version and read by execution. Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration002PlanContext: Migration = {
  version: 2,
  name: "plan-context",
  sql: "ALTER TABLE tasks ADD COLUMN plan_context jsonb;",
};
