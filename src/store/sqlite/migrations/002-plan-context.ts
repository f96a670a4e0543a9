/**
 * Migration 2 of the task store: `plan_context`, the thread snapshot (issue
 * title and body, writers' comments, as the agent saw them, and a digest of
 * the issue as GitHub returned it) that the current plan was made from. It is
 * written with every plan version and read by execution, which never fetches
 * the thread again. Tasks from before it have none. Frozen.
 */
import type { Migration } from "../../migrate.ts";

export const migration002PlanContext: Migration = {
  version: 2,
  name: "plan-context",
  sql: "ALTER TABLE tasks ADD COLUMN plan_context TEXT CHECK (plan_context IS NULL OR json_valid(plan_context));",
};
