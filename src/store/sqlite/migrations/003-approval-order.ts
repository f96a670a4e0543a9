/**
 * Migration 3 of the task store: what decides which plan an approval answers,
 * and how a plan was approved.
 * - `plan_comment_created_at`: the current plan comment's `created_at` exactly
 *   as GitHub returned it when the comment was posted (GitHub's clock, whole
 *   seconds). With `plan_comment_id` it orders approvals by GitHub's own
 *   sequence and clock, never the app's. Tasks from before it have none.
 * - `approval_kind`: `person` (an `/approve`, or the writer's own follow-up
 *   request) or `auto` (`approval: auto` in .github/jules.yml). Approved tasks
 *   from before it are filled in from their history: the automatic path
 *   recorded actor `openjules` with reason `approved: approval: auto`.
 * Frozen.
 */
import { APPROVAL_KIND_BACKFILL } from "../../approval-kind-backfill.ts";
import type { Migration } from "../../migrate.ts";

export const migration003ApprovalOrder: Migration = {
  version: 3,
  name: "approval-order",
  sql: `
ALTER TABLE tasks ADD COLUMN plan_comment_created_at TEXT;
ALTER TABLE tasks ADD COLUMN approval_kind TEXT CHECK (approval_kind IS NULL OR approval_kind IN ('person','auto'));
${APPROVAL_KIND_BACKFILL}`,
};
