/**
 * What the MCP tools answer, as JSON text an assistant reads: a task as a
 * card (who, where, state, plan, pull request, failure, pause, spend), never
 * the thread snapshot the plan was made from (long, and in the history
 * already); a use-case failure as the tool error the protocol expects
 * (`isError`, the title and the detail that says what to do).
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Task } from "../domain/model.ts";
import { summary } from "../tasks/control/list-tasks.ts";
import type { Result, TaskView } from "../tasks/control/port.ts";

/** The task's summary (as list_tasks shows it) with what an assistant acts on: the plan, the branches, the failure with its hint, the pause, the spend. */
export function taskCard(task: Task) {
  return {
    ...summary(task),
    instruction: task.instruction,
    baseBranch: task.baseBranch,
    branch: task.branch,
    model: task.model,
    planVersion: task.planVersion,
    plan: task.plan,
    answer: task.answer,
    costEstimateUsd: task.costEstimateUsd,
    approvedBy: task.approvedBy,
    activity: task.activity,
    failure: task.failure,
    pause: task.pause,
    usage: task.usage,
  };
}

export function viewCard(view: TaskView) {
  return { task: taskCard(view.task), links: view.links, history: view.history };
}

const text = (body: string, isError = false): CallToolResult => ({ content: [{ type: "text", text: body }], ...(isError ? { isError } : {}) });

/** The value as pretty JSON, or the use case's error as a tool error (`Title: detail`). */
export function toolResult<T>(result: Result<T>, render: (value: T) => unknown = (value) => value): CallToolResult {
  if (!result.ok) return text(`${result.error.title}: ${result.error.detail}`, true);
  const rendered = render(result.value);
  return text(typeof rendered === "string" ? rendered : JSON.stringify(rendered, null, 2));
}
