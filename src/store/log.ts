/**
 * What both backends share for the task's event log and its messages: the
 * checks of what is appended, read and sent, the row mappings, the `state`
 * event every create and transition writes, and the retention schedule (the
 * log keeps the newest `eventLogMax` events of a task; a backend prunes a
 * task's log on its first append in this process and then every
 * `pruneEvery` appends, so between prunes a task holds at most
 * `eventLogMax + pruneEvery - 1` events per writing process).
 */
import type { Face } from "../domain/actor.ts";
import type { LogEventData, LogEventType, TaskLogEvent, TaskMessage, TaskState } from "../domain/model.ts";
import { checkFace } from "./validate.ts";

export interface StoreOptions {
  /** Newest events kept per task (JULES_EVENT_LOG_MAX). Default 5000. */
  eventLogMax?: number | undefined;
  /** Appends to a task (in one process) between two prunes of its log. Default 100. */
  eventLogPruneEvery?: number | undefined;
}

export const DEFAULT_EVENT_LOG_MAX = 5000;
export const DEFAULT_PRUNE_EVERY = 100;
export const MAX_READ_EVENTS = 1000;

const TYPES = {
  state: true,
  activity: true,
  tool: true,
  command: true,
  output: true,
  plan: true,
  pull_request: true,
  message: true,
  usage: true,
  paused: true,
} satisfies Record<LogEventType, true>;

type Row = Record<string, unknown>;

function positive(name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw new RangeError(`${name} must be a positive integer, got ${JSON.stringify(value)}.`);
  return value as number;
}

/** Knows, for each task, when its log is due for pruning (see the file's comment). */
export class PruneSchedule {
  readonly max: number;
  readonly #every: number;
  readonly #since = new Map<string, number>();

  constructor(options: StoreOptions = {}) {
    this.max = positive("eventLogMax", options.eventLogMax ?? DEFAULT_EVENT_LOG_MAX);
    this.#every = positive("eventLogPruneEvery", options.eventLogPruneEvery ?? DEFAULT_PRUNE_EVERY);
  }

  /** Records `count` appends to the task; true when its log should be pruned now. */
  due(taskId: string, count: number): boolean {
    const seen = this.#since.get(taskId);
    const total = (seen ?? 0) + count;
    if (seen !== undefined && total < this.#every) {
      this.#since.set(taskId, total);
      return false;
    }
    // Bounded memory: forgetting every task only means one early prune each.
    if (this.#since.size >= 10_000) this.#since.clear();
    this.#since.set(taskId, 0);
    return true;
  }
}

/**
 * `value` with every lone surrogate (text cut inside a character, as an output
 * chunk may be) replaced by U+FFFD, so both backends store and return the
 * same (PostgreSQL's JSON refuses lone surrogates).
 */
export function wellFormed<T>(value: T): T {
  if (typeof value === "string") return wellFormedText(value) as T;
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? wellFormedText(v) : v))) as T;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** String.prototype.toWellFormed (ES2024, which the project's TypeScript lib does not include yet). */
export const wellFormedText = (text: string): string => text.replace(LONE_SURROGATE, "\uFFFD");

export function checkEvents(events: readonly LogEventData[]): void {
  if (!Array.isArray(events)) throw new TypeError("appendEvents needs an array of events.");
  for (const event of events) {
    if (typeof event !== "object" || event === null || !Object.hasOwn(TYPES, (event as { type?: unknown }).type as string))
      throw new TypeError(`An event needs a type, one of ${Object.keys(TYPES).join(", ")}; got ${JSON.stringify(event)}.`);
  }
}

export function checkRead(afterId: number, limit: number): void {
  if (!Number.isSafeInteger(afterId) || afterId < 0) throw new RangeError(`afterId must be a non-negative integer, got ${afterId}.`);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_READ_EVENTS) throw new RangeError(`limit must be an integer from 1 to ${MAX_READ_EVENTS}, got ${limit}.`);
}

export type NewMessage = Pick<TaskMessage, "author" | "face" | "body">;

export function checkMessage(message: NewMessage): void {
  if (typeof message.author !== "string" || message.author.trim() === "") throw new TypeError("A message needs an author.");
  checkFace(message.face);
  if (typeof message.body !== "string" || message.body.trim() === "") throw new TypeError("A message needs a non-empty body.");
}

export const stateEvent = (from: TaskState | null, to: TaskState, actor: string, face: Face, reason: string): LogEventData => ({ type: "state", from, to, actor, face, reason });

export const messageEvent = (message: NewMessage): LogEventData => ({ type: "message", from: message.author, face: message.face, text: message.body });

export function rowToLogEvent(row: Row): TaskLogEvent {
  return { id: Number(row.id), taskId: String(row.task_id), at: String(row.at), data: JSON.parse(String(row.data)) as LogEventData };
}

export function rowToMessage(row: Row): TaskMessage {
  return {
    id: Number(row.id),
    taskId: String(row.task_id),
    author: String(row.author),
    face: row.face as Face,
    body: String(row.body),
    createdAt: String(row.created_at),
    deliveredAt: row.delivered_at === null || row.delivered_at === undefined ? null : String(row.delivered_at),
  };
}
