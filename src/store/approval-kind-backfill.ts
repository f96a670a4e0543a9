/**
 * Part of migration 3 of the task store on both backends (sqlite/ and
 * postgres/ migrations/003-approval-order.ts): fills in `approval_kind` for
 * tasks approved before it, from their history (the automatic path recorded
 * actor `openjules` with reason `approved: approval: auto`). The same SQL on
 * both backends. Frozen.
 */
export const APPROVAL_KIND_BACKFILL = `
UPDATE tasks SET approval_kind = 'auto', approved_by = NULL
  WHERE approved_plan_hash IS NOT NULL AND EXISTS (
    SELECT 1 FROM task_events e WHERE e.task_id = tasks.id AND e.to_state = 'approved' AND e.actor = 'openjules' AND e.reason = 'approved: approval: auto');
UPDATE tasks SET approval_kind = 'person' WHERE approval_kind IS NULL AND approved_by IS NOT NULL;
`;
