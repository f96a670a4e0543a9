/**
 * PostgreSQL cannot store U+0000 in text or JSONB (SQLite can), and a NUL
 * byte does turn up in what tasks record, such as test output quoted in a
 * failure or a model's answer. Refusing the write would leave the task unable
 * even to fail, so the PostgreSQL store replaces every NUL in the strings it
 * writes with U+FFFD (the replacement character) instead. Its JSON also
 * refuses lone surrogates (text cut inside a character): they become U+FFFD too.
 */
import { wellFormedText } from "../log.ts";
import type { NewTask, TaskPatch } from "../port.ts";

const NUL = /\u0000/g;
const REPLACEMENT = "\uFFFD";

const clean = (text: string): string => wellFormedText(text.replace(NUL, REPLACEMENT));

/** `value` with NUL and lone surrogates replaced in every string it holds (JSON-shaped values are copied). */
export function withoutNul<T>(value: T): T {
  if (typeof value === "string") return clean(value) as T;
  if (value === null || typeof value !== "object") return value;
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? clean(v) : v));
  return JSON.parse(text) as T;
}

export function patchWithoutNul(patch: TaskPatch): TaskPatch {
  return Object.fromEntries(Object.entries(patch).map(([field, value]) => [field, withoutNul(value)])) as TaskPatch;
}

export function newTaskWithoutNul(input: NewTask): NewTask {
  return patchWithoutNul(input) as NewTask;
}
