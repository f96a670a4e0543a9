/**
 * What both backends share to create a task: the columns a new task is
 * inserted with and their values, in one order, and the answer when a unique
 * index refused the insert.
 */
import type { CreateResult, NewTask } from "./port.ts";
import { rowToTask } from "./rows.ts";

type Row = Record<string, unknown>;

/** The inserted columns, in the order of `newTaskValues` (state, plan version and times are the backend's). */
export const NEW_TASK_COLUMNS = `id, installation_id, owner, repo, issue_number, kind, clone_url, instruction, issue_title, requested_by,
  trigger_comment_id, base_branch, command, face, model, idempotency_key, idempotency_digest, own_key, ask`;
export const NEW_TASK_COLUMN_COUNT = 19;

export function newTaskValues(id: string, t: NewTask): (string | number | null)[] {
  return [
    id,
    t.installationId,
    t.owner,
    t.repo,
    t.issueNumber,
    // A question is kind `issue` with `ask` set (migration 8); rows.ts reads it back as `ask`.
    t.kind === "ask" ? "issue" : t.kind,
    t.cloneUrl,
    t.instruction,
    t.issueTitle,
    t.requestedBy,
    t.triggerCommentId,
    t.baseBranch,
    t.command,
    t.face ?? "thread",
    t.model ?? null,
    t.idempotency?.key ?? null,
    t.idempotency?.digest ?? null,
    t.ownKey ? JSON.stringify(t.ownKey) : null,
    t.kind === "ask" ? 1 : 0,
  ];
}

/**
 * Why a unique index refused the insert, from the rows the backend found:
 * the task that used the idempotency key (the same request: replayed;
 * another: conflict), else the task the same comment made (it wins, live or
 * not) or the issue's live task. Null when none was found (it ended in
 * between: the backend tries again).
 */
export function refusedCreate(input: NewTask, byKey: Row | undefined, blocker: Row | undefined): CreateResult | null {
  const key = input.idempotency;
  if (key && byKey) return byKey.idempotency_digest === key.digest ? { created: false, replayed: rowToTask(byKey) } : { created: false, conflict: rowToTask(byKey) };
  return blocker ? { created: false, active: rowToTask(blocker) } : null;
}
