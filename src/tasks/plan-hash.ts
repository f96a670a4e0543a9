/**
 * The identity of a plan: sha256 of its canonical JSON (object keys sorted,
 * `undefined` fields dropped, array order kept), first 16 hex characters. It
 * ties an approval to the exact plan shown: the plan comment's marker carries
 * it, and the store approves only when the task's current hash matches.
 */
import { createHash } from "node:crypto";
import type { Plan } from "./model.ts";

export const PLAN_HASH_LENGTH = 16;

/** JSON with object keys in sorted order at every depth, so equal plans give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

export function planHash(plan: Plan): string {
  return createHash("sha256").update(canonicalJson(plan)).digest("hex").slice(0, PLAN_HASH_LENGTH);
}
