/**
 * What both backends share for the CiFixStore (port.ts): the checks of what is
 * written (so SQLite and PostgreSQL refuse the same bad input with the same
 * messages), the normal form (owner and repository lower case, a commit sha
 * lower-case hex), the columns a patch writes, and rows back to CiFixRecord.
 */
import type { CiFixCheck, CiFixDecision, CiFixKey, CiFixPatch, CiFixReason, CiFixRecord } from "./port.ts";

type Row = Record<string, unknown>;

export const CI_FIX_DECISIONS = ["pending", "started", "suggested", "requested", "skipped"] as const satisfies readonly CiFixDecision[];
export const CI_FIX_REASONS = ["base", "human", "limit", "busy"] as const satisfies readonly CiFixReason[];
const VERDICTS = ["passed", "failed"] as const;
const SHA = /^[0-9a-f]{7,64}$/;
const NAME = /^[^/\s]+$/;
const MAX_CHECKS = 50;

function name(field: string, value: unknown): string {
  if (typeof value !== "string" || !NAME.test(value)) throw new TypeError(`${field} must be a repository owner or name, got ${JSON.stringify(value)}.`);
  return value.toLowerCase();
}

function sha(field: string, value: unknown): string {
  const hex = typeof value === "string" ? value.toLowerCase() : "";
  if (!SHA.test(hex)) throw new TypeError(`${field} must be a commit sha (hex), got ${JSON.stringify(value)}.`);
  return hex;
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new TypeError(`${field} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}.`);
  return value as T;
}

/** The key as stored: owner and repository lower case, the sha lower-case hex, a positive pull request number. */
export function checkKey(key: CiFixKey): CiFixKey {
  if (!Number.isSafeInteger(key.pullRequestNumber) || key.pullRequestNumber < 1) throw new TypeError(`pullRequestNumber must be a positive integer, got ${key.pullRequestNumber}.`);
  return { owner: name("owner", key.owner), repo: name("repo", key.repo), pullRequestNumber: key.pullRequestNumber, headSha: sha("headSha", key.headSha) };
}

/** The pull request part of a key, as stored. */
export function checkPull(owner: string, repo: string, pullRequestNumber: number): [string, string, number] {
  const key = checkKey({ owner, repo, pullRequestNumber, headSha: "0000000" });
  return [key.owner, key.repo, key.pullRequestNumber];
}

export function checkChecks(checks: unknown): CiFixCheck[] {
  if (!Array.isArray(checks) || checks.length > MAX_CHECKS) throw new TypeError(`checks must be a list of at most ${MAX_CHECKS} checks.`);
  return checks.map((c: Partial<CiFixCheck>) => {
    if (typeof c?.name !== "string" || c.name === "" || typeof c.url !== "string" || typeof c.onBase !== "boolean") {
      throw new TypeError(`each check needs a name, a url and onBase, got ${JSON.stringify(c)}.`);
    }
    return { name: c.name, url: c.url, onBase: c.onBase };
  });
}

export function checkCommentId(commentId: number): number {
  if (!Number.isSafeInteger(commentId) || commentId < 1) throw new TypeError(`commentId must be a positive integer, got ${commentId}.`);
  return commentId;
}

/** `column = ?` assignments and their values for a patch (checked); `checks` as JSON text. */
export function patchColumns(patch: CiFixPatch): { columns: string[]; values: (string | null)[] } {
  const columns: string[] = [];
  const values: (string | null)[] = [];
  const set = (column: string, value: string | null) => {
    columns.push(column);
    values.push(value);
  };
  if (patch.decision !== undefined) set("decision", oneOf("decision", patch.decision, CI_FIX_DECISIONS));
  if (patch.reason !== undefined) set("reason", patch.reason === null ? null : oneOf("reason", patch.reason, CI_FIX_REASONS));
  if (patch.detail !== undefined) set("detail", patch.detail === null ? null : String(patch.detail).slice(0, 500));
  if (patch.checks !== undefined) set("checks", JSON.stringify(checkChecks(patch.checks)));
  if (patch.taskId !== undefined) set("task_id", patch.taskId);
  if (patch.fixSha !== undefined) set("fix_sha", patch.fixSha === null ? null : sha("fixSha", patch.fixSha));
  if (patch.verdict !== undefined) set("verdict", patch.verdict === null ? null : oneOf("verdict", patch.verdict, VERDICTS));
  return { columns, values };
}

const time = (value: unknown): string => new Date(value instanceof Date ? value.getTime() : String(value)).toISOString();

export function rowToCiFix(row: Row): CiFixRecord {
  const checks = typeof row.checks === "string" ? JSON.parse(row.checks) : row.checks;
  return {
    owner: String(row.owner),
    repo: String(row.repo),
    pullRequestNumber: Number(row.pull_request_number),
    headSha: String(row.head_sha),
    decision: row.decision as CiFixDecision,
    automatic: row.automatic === true || row.automatic === 1 || row.automatic === 1n,
    reason: (row.reason ?? null) as CiFixReason | null,
    detail: (row.detail ?? null) as string | null,
    checks: checks as CiFixCheck[],
    taskId: (row.task_id ?? null) as string | null,
    fixSha: (row.fix_sha ?? null) as string | null,
    verdict: (row.verdict ?? null) as CiFixRecord["verdict"],
    createdAt: time(row.created_at),
    updatedAt: time(row.updated_at),
  };
}
