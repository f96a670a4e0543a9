/**
 * Hidden markers in the app's own comments, on their first line: they let the
 * app find its status comment again and tie an approval to the exact plan
 * shown. Only the first line of a body is read, and untrusted text in a
 * comment is neutralised (see escape.ts), so a marker cannot be forged from
 * user text.
 */
import { z } from "zod";
import { PLAN_HASH_LENGTH } from "../domain/plan-hash.ts";

export interface PlanMarker {
  task: string;
  hash: string;
  version: number;
}

const PlanMarkerSchema = z
  .object({
    task: z.string().min(1).max(200),
    hash: z.string().regex(new RegExp(`^[0-9a-f]{${PLAN_HASH_LENGTH}}$`)),
    version: z.number().int().min(1),
  })
  .strict();

const firstLine = (body: string): string => body.split(/\r?\n/, 1)[0] ?? "";

/** `<!-- openjules:status task=<id> -->` (the id percent-encoded when it holds unusual characters). */
export function statusMarker(taskId: string): string {
  return `<!-- openjules:status task=${encodeURIComponent(taskId)} -->`;
}

const STATUS = /^<!-- openjules:status task=([^\s]+) -->$/;

export function parseStatusMarker(body: string): { task: string } | null {
  const match = STATUS.exec(firstLine(body));
  if (!match) return null;
  try {
    return { task: decodeURIComponent(match[1]!) };
  } catch {
    return null;
  }
}

/** `<!-- openjules:plan {"task":"<id>","hash":"<hash>","version":N} -->`, with `<` and `>` escaped inside the JSON. */
export function planMarker(marker: PlanMarker): string {
  const json = JSON.stringify({ task: marker.task, hash: marker.hash, version: marker.version }).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `<!-- openjules:plan ${json} -->`;
}

const PLAN = /^<!-- openjules:plan (\{.*\}) -->$/;

export function parsePlanMarker(body: string): PlanMarker | null {
  const match = PLAN.exec(firstLine(body));
  if (!match) return null;
  let data: unknown;
  try {
    data = JSON.parse(match[1]!);
  } catch {
    return null;
  }
  const parsed = PlanMarkerSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** `<!-- openjules:<kind> task=<id> -->` for the other comments the app posts (answer, config error, ...). */
export function commentMarker(kind: string, taskId?: string): string {
  return `<!-- openjules:${kind}${taskId === undefined ? "" : ` task=${encodeURIComponent(taskId)}`} -->`;
}
