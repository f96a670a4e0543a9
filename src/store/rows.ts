/**
 * Mapping between the `tasks` table and the Task type: one row to a Task
 * (JSON columns parsed), and a TaskPatch to checked SQL assignments. The column
 * table below is the single place that ties camelCase fields to snake_case
 * columns; it is typed so a field added to TaskPatch without a column fails to
 * compile.
 */
import { FACES, type Face } from "../domain/actor.ts";
import { APPROVAL_KINDS, type ApprovalKind, type Task, type TaskEvent, type TaskKind, type TaskState } from "../domain/model.ts";
import type { TaskPatch } from "./port.ts";

/** What a column takes: node:sqlite and pg both bind these. */
type SqlValue = string | number | null;

type Kind = "text" | "int" | "real" | "json";
interface Column {
  name: string;
  kind: Kind;
  nullable: boolean;
  oneOf?: readonly string[];
}

const col = (name: string, kind: Kind, nullable = true): Column => ({ name, kind, nullable });

export const PATCH_COLUMNS = {
  cloneUrl: col("clone_url", "text", false),
  instruction: col("instruction", "text", false),
  issueTitle: col("issue_title", "text", false),
  requestedBy: col("requested_by", "text", false),
  triggerCommentId: col("trigger_comment_id", "int"),
  baseBranch: col("base_branch", "text"),
  statusCommentId: col("status_comment_id", "int"),
  planCommentId: col("plan_comment_id", "int"),
  planCommentCreatedAt: col("plan_comment_created_at", "text"),
  plan: col("plan", "json"),
  planHash: col("plan_hash", "text"),
  planContext: col("plan_context", "json"),
  planVersion: col("plan_version", "int", false),
  revisionFeedback: col("revision_feedback", "text"),
  approvedBy: col("approved_by", "text"),
  approvalKind: { ...col("approval_kind", "text"), oneOf: APPROVAL_KINDS },
  approvedPlanHash: col("approved_plan_hash", "text"),
  answer: col("answer", "text"),
  branch: col("branch", "text"),
  pullRequestNumber: col("pull_request_number", "int"),
  pullRequestUrl: col("pull_request_url", "text"),
  failure: col("failure", "json"),
  usage: col("usage", "json"),
  activity: col("activity", "text"),
  face: { ...col("face", "text", false), oneOf: FACES },
  model: col("model", "text"),
  pause: col("pause", "json"),
  extraBudget: col("extra_budget", "json"),
  costEstimateUsd: col("cost_estimate_usd", "real"),
  ownKey: col("own_key", "json"),
} satisfies Record<keyof Required<TaskPatch>, Column>;

function toSql(field: string, column: Column, value: unknown): SqlValue {
  if (value === null) {
    if (column.nullable) return null;
    throw new TypeError(`Task field "${field}" cannot be null.`);
  }
  if (column.kind === "json") return JSON.stringify(value);
  if (column.kind === "int" && !Number.isSafeInteger(value)) throw new TypeError(`Task field "${field}" must be an integer, got ${JSON.stringify(value)}.`);
  if (column.kind === "real" && !Number.isFinite(value)) throw new TypeError(`Task field "${field}" must be a finite number, got ${JSON.stringify(value)}.`);
  if (column.kind === "text" && typeof value !== "string") throw new TypeError(`Task field "${field}" must be a string, got ${typeof value}.`);
  if (column.oneOf && !column.oneOf.includes(value as string)) throw new TypeError(`Task field "${field}" must be one of ${column.oneOf.join(", ")}.`);
  return value as SqlValue;
}

/** `column = ?` assignments and their values for the defined fields of a patch. */
export function patchAssignments(patch: TaskPatch): { sql: string[]; values: SqlValue[] } {
  const sql: string[] = [];
  const values: SqlValue[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const column = (PATCH_COLUMNS as Record<string, Column>)[field];
    if (!column) throw new TypeError(`"${field}" is not a task field that can be updated.`);
    sql.push(`${column.name} = ?`);
    values.push(toSql(field, column, value));
  }
  return { sql, values };
}

type Row = Record<string, unknown>;

function json<T>(row: Row, name: string): T | null {
  const text = row[name];
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(String(text)) as T;
  } catch (error) {
    throw new Error(`Task ${String(row.id)} has unreadable JSON in column "${name}".`, { cause: error });
  }
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The task's kind from its two columns: a question (`ask` = 1, migration 8) is stored with kind `issue`. */
export function kindOf(row: Row): TaskKind {
  return Number(row.ask ?? 0) === 1 ? "ask" : (row.kind as TaskKind);
}
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function rowToTask(row: Row): Task {
  return {
    id: String(row.id),
    installationId: Number(row.installation_id),
    owner: String(row.owner),
    repo: String(row.repo),
    issueNumber: num(row.issue_number),
    kind: kindOf(row),
    state: row.state as TaskState,
    cloneUrl: String(row.clone_url),
    instruction: String(row.instruction),
    issueTitle: String(row.issue_title),
    requestedBy: String(row.requested_by),
    command: String(row.command),
    triggerCommentId: num(row.trigger_comment_id),
    baseBranch: str(row.base_branch),
    statusCommentId: num(row.status_comment_id),
    planCommentId: num(row.plan_comment_id),
    planCommentCreatedAt: str(row.plan_comment_created_at),
    plan: json(row, "plan"),
    planHash: str(row.plan_hash),
    planContext: json(row, "plan_context"),
    planVersion: Number(row.plan_version),
    revisionFeedback: str(row.revision_feedback),
    approvedBy: str(row.approved_by),
    approvalKind: str(row.approval_kind) as ApprovalKind | null,
    approvedPlanHash: str(row.approved_plan_hash),
    answer: str(row.answer),
    branch: str(row.branch),
    pullRequestNumber: num(row.pull_request_number),
    pullRequestUrl: str(row.pull_request_url),
    failure: json(row, "failure"),
    usage: json(row, "usage"),
    activity: str(row.activity),
    face: row.face as Face,
    model: str(row.model),
    pause: json(row, "pause"),
    extraBudget: json(row, "extra_budget"),
    costEstimateUsd: num(row.cost_estimate_usd),
    ownKey: json(row, "own_key"),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

export function rowToEvent(row: Row): TaskEvent {
  return {
    taskId: String(row.task_id),
    at: String(row.at),
    from: (row.from_state ?? null) as TaskState | null,
    to: row.to_state as TaskState,
    actor: String(row.actor),
    face: row.face as Face,
    reason: String(row.reason),
  };
}
