/**
 * Migration 3 of the PostgreSQL task store, as SQLite's migration 3:
 * `plan_comment_created_at` (the plan comment's `created_at` as GitHub wrote
 * it, kept as text so it is compared in GitHub's own terms) and
 * `approval_kind` (`person` or `auto`), filled in for approved tasks from
 * their history. Frozen.
 */
import { APPROVAL_KIND_BACKFILL } from "../../approval-kind-backfill.ts";
import type { Migration } from "../../migrate.ts";

export const migration003ApprovalOrder: Migration = {
  version: 3,
  name: "approval-order",
  sql: `
ALTER TABLE tasks ADD COLUMN plan_comment_created_at text;
ALTER TABLE tasks ADD COLUMN approval_kind text CHECK (approval_kind IS NULL OR approval_kind IN ('person','auto'));
${APPROVAL_KIND_BACKFILL}`,
};
