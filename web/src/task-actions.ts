/**
 * Which buttons the task page shows: from the task's state (what the control
 * plane would accept now) and whether the caller may write on its
 * repository (the API's `permissions.write`; the operator writes
 * everywhere). A caller without write sees none; the API refuses with 403
 * anyway. Pure.
 */
import { ACTIVE } from "../../src/domain/state-machine.ts";
import type { Task } from "../../src/domain/model.ts";
import type { Me, TaskPermissions } from "./types.ts";

export type TaskAction = "approve" | "revise" | "cancel" | "pause" | "resume" | "retry" | "message";

/**
 * Whether the caller may write on the task's repository: the answer's
 * `permissions.write` when the API gives it; without it, only the operator
 * (a safe default: a reader never sees a button).
 */
export function canWrite(view: { permissions?: TaskPermissions | undefined }, me: Pick<Me, "operator"> | null): boolean {
  const write = view.permissions?.write;
  if (typeof write === "boolean") return write;
  return me?.operator === true;
}

export function allowedActions(task: Pick<Task, "state" | "pullRequestNumber" | "branch">, write: boolean): Set<TaskAction> {
  const actions = new Set<TaskAction>();
  if (!write) return actions;
  if (ACTIVE.includes(task.state)) actions.add("cancel");
  switch (task.state) {
    case "awaiting_approval":
      actions.add("approve").add("revise");
      break;
    case "working":
    case "testing":
      actions.add("pause").add("message");
      break;
    case "paused":
      actions.add("resume").add("message");
      break;
    case "failed":
    case "cancelled":
      actions.add("retry");
      break;
    case "done":
      if (task.pullRequestNumber !== null && task.branch) actions.add("message");
      break;
  }
  return actions;
}
