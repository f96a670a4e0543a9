/**
 * Input checks shared by every TaskStore implementation, so SQLite and
 * PostgreSQL reject the same bad input with the same clear messages: a new
 * task's fields, a transition's states and audit fields, and list paging.
 */
import { FACES, type Face } from "../domain/actor.ts";
import { TASK_STATES, type TaskKind, type TaskState } from "../domain/model.ts";
import type { NewTask, TaskFilter, TransitionInput } from "./port.ts";

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;
export const TASK_KINDS: readonly TaskKind[] = ["issue", "follow_up", "ask"];
/** What jules.yml accepts as `command` (config/repo-config.ts). */
const COMMAND_WORD = /^[a-z][a-z0-9-]{0,31}$/i;

const isState = (s: unknown): s is TaskState => TASK_STATES.includes(s as TaskState);

function positiveInt(name: string, value: unknown): void {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw new TypeError(`${name} must be a positive integer, got ${JSON.stringify(value)}.`);
}

function text(name: string, value: unknown, allowEmpty = false): void {
  if (typeof value !== "string" || (!allowEmpty && value.trim() === "")) throw new TypeError(`${name} must be a non-empty string.`);
}

export function checkNewTask(input: NewTask, actor: string, reason: string): void {
  positiveInt("installationId", input.installationId);
  text("owner", input.owner);
  text("repo", input.repo);
  if (input.issueNumber !== null) positiveInt("issueNumber", input.issueNumber);
  if (!TASK_KINDS.includes(input.kind)) throw new TypeError(`kind must be one of ${TASK_KINDS.join(", ")}, got ${JSON.stringify(input.kind)}.`);
  text("cloneUrl", input.cloneUrl);
  text("instruction", input.instruction, true);
  text("issueTitle", input.issueTitle, true);
  text("requestedBy", input.requestedBy);
  if (input.triggerCommentId !== null) positiveInt("triggerCommentId", input.triggerCommentId);
  if (input.baseBranch !== null) text("baseBranch", input.baseBranch);
  if (typeof input.command !== "string" || !COMMAND_WORD.test(input.command))
    throw new TypeError(`command must be a command word (letters, digits or dashes, as jules.yml allows), got ${JSON.stringify(input.command)}.`);
  if (input.face !== undefined) checkFace(input.face);
  if (input.model !== undefined && input.model !== null) text("model", input.model);
  if (input.ownKey !== undefined && input.ownKey !== null) {
    text("ownKey.login", input.ownKey.login);
    text("ownKey.provider", input.ownKey.provider);
    text("ownKey.last4", input.ownKey.last4);
  }
  if (input.idempotency !== undefined) {
    text("idempotency.key", input.idempotency.key);
    text("idempotency.digest", input.idempotency.digest);
  }
  text("actor", actor);
  text("reason", reason, true);
}

export function checkFace(face: unknown): asserts face is Face {
  if (!FACES.includes(face as Face)) throw new TypeError(`face must be one of ${FACES.join(", ")}, got ${JSON.stringify(face)}.`);
}

/** The accepted from-states as a non-empty list; throws on unknown states. */
export function checkTransition(input: TransitionInput): readonly TaskState[] {
  const from: readonly TaskState[] = typeof input.from === "string" ? [input.from] : input.from;
  if (!Array.isArray(from) || from.length === 0) throw new TypeError("A transition needs at least one state to move from.");
  for (const s of from) if (!isState(s)) throw new TypeError(`"${String(s)}" is not a task state.`);
  if (!isState(input.to)) throw new TypeError(`"${String(input.to)}" is not a task state.`);
  text("actor", input.actor);
  text("reason", input.reason, true);
  if (input.planHash !== undefined) text("planHash", input.planHash);
  if (input.face !== undefined) checkFace(input.face);
  return from;
}

export function checkFilter(filter: TaskFilter): Required<Pick<TaskFilter, "limit" | "offset">> {
  if (filter.state !== undefined && !isState(filter.state)) throw new TypeError(`"${String(filter.state)}" is not a task state.`);
  if (filter.repositories !== undefined && (!Array.isArray(filter.repositories) || filter.repositories.some((r) => typeof r !== "string" || !r.includes("/"))))
    throw new TypeError("repositories must be a list of owner/name strings.");
  const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
  const offset = filter.offset ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new RangeError(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${limit}.`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}.`);
  return { limit, offset };
}
