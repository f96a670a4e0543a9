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
import type { Migration } from "../migrate.ts";

/** Fills in `approval_kind` for tasks approved before this migration (the same SQL on both backends). */
export const APPROVAL_KIND_BACKFILL = `
UPDATE tasks SET approval_kind = 'auto', approved_by = NULL
  WHERE approved_plan_hash IS NOT NULL AND EXISTS (
    SELECT 1 FROM task_events e WHERE e.task_id = tasks.id AND e.to_state = 'approved' AND e.actor = 'openjules' AND e.reason = 'approved: approval: auto');
UPDATE tasks SET approval_kind = 'person' WHERE approval_kind IS NULL AND approved_by IS NOT NULL;
`;

export const migration003ApprovalOrder: Migration = {
  version: 3,
  name: "approval-order",
  sql: `
ALTER TABLE tasks ADD COLUMN plan_comment_created_at TEXT;
ALTER TABLE tasks ADD COLUMN approval_kind TEXT CHECK (approval_kind IS NULL OR approval_kind IN ('person','auto'));
${APPROVAL_KIND_BACKFILL}`,
};
