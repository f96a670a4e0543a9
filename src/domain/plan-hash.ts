/**
 * The identity of a plan and of the thread it was made from: sha256 of their
 * canonical JSON (object keys sorted, `undefined` fields dropped, array order
 * kept), first 16 hex characters. It ties an approval to the exact plan shown
 * and to the issue text behind it: the plan comment's marker carries it, the
 * store approves only when the task's current hash matches, and execution
 * recomputes it from the stored plan and snapshot before it runs anything.
 * U+0000 counts as U+FFFD (what the PostgreSQL store keeps in its place), so
 * a hash recomputed from a stored plan matches on every backend.
 */
import { createHash } from "node:crypto";
import type { Plan, ThreadSnapshot } from "./model.ts";

export const PLAN_HASH_LENGTH = 16;

/** JSON with object keys in sorted order at every depth, so equal plans give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === "string") return inner.replace(/\u0000/g, "\uFFFD");
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

/**
 * The plan's hash, bound to the thread snapshot it was made from. Without a
 * snapshot (a task recorded before snapshots were kept) it is the plan's alone.
 */
export function planHash(plan: Plan, context: ThreadSnapshot | null = null): string {
  const subject = context === null ? plan : { plan, context };
  return createHash("sha256").update(canonicalJson(subject)).digest("hex").slice(0, PLAN_HASH_LENGTH);
}
