/**
 * The chat channel's file protocol, version 1 (README, File channel: Chat
 * channel): what a chat process writes to the inbox, one prompt a line, and
 * what `openjules channel` appends to the outbox, one result a line. A
 * prompt is a JSON object (`{"version":1,"id":...,"prompt":...}`, checked by
 * the zod schema below) or, for a line that does not start with `{`, plain
 * text whose id is made from its line number and text. Every line written
 * carries `version`, as the agent side of the file channel does.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Plan } from "../domain/model.ts";

export const CHANNEL_VERSION = 1;

/** Printable ASCII: with its prefix it stays a valid idempotency key of the API (at most 255 characters). */
const ID = /^[\x21-\x7e]{1,200}$/;

export const PromptLineSchema = z
  .object({
    version: z.literal(CHANNEL_VERSION, {
      error: (i) => (i.input === undefined ? "version is required (1)" : `version ${JSON.stringify(i.input)} is not supported; this reads version 1`),
    }),
    id: z.string({ error: "id is required: a string" }).regex(ID, "id must be 1 to 200 printable ASCII characters without spaces"),
    prompt: z.string({ error: "prompt is required: a string" }).trim().min(1, "prompt is empty"),
    repo: z
      .string({ error: "repo must be owner/name" })
      .regex(/^[\w.-]+\/[\w.-]+$/, "repo must be owner/name")
      .optional(),
    base: z.string({ error: "base must be a branch name" }).min(1, "base is empty").optional(),
  })
  .strict();

export type PromptLine = z.infer<typeof PromptLineSchema>;

export type ResultStatus = "done" | "failed" | "cancelled" | "awaiting_approval" | "paused" | "invalid";

/** One line of the outbox. */
export interface ResultLine {
  version: typeof CHANNEL_VERSION;
  /** The prompt's id (a plain-text prompt's made one; `line-<n>` for a line with none). */
  id: string;
  /** The task the prompt started; null when none was started (an invalid line, a refused create). */
  task: string | null;
  status: ResultStatus;
  /** One or two sentences a person can read: what happened and what to do next. */
  summary: string;
  pullRequest: { url: string; number: number } | null;
  /** The plan waiting for approval (status awaiting_approval), else null. */
  plan: (Plan & { version: number; costEstimateUsd: number | null }) | null;
  /** Why it failed, was cancelled or is invalid, and what to do; null otherwise. */
  error: string | null;
}

/** What one complete inbox line holds. */
export type Parsed = { kind: "blank" } | { kind: "prompt"; prompt: PromptLine; plain: boolean } | { kind: "invalid"; id: string; reason: string };

/** The id of a plain-text prompt: its line number and a hash of its text, the same on every read of the same inbox. */
export const plainId = (line: number, text: string) => `line-${line}-${createHash("sha256").update(text).digest("hex").slice(0, 8)}`;

export function parsePromptLine(raw: string, line: number): Parsed {
  const text = raw.trim();
  if (!text) return { kind: "blank" };
  if (!text.startsWith("{")) return { kind: "prompt", prompt: { version: CHANNEL_VERSION, id: plainId(line, text), prompt: text }, plain: true };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: "invalid", id: `line-${line}`, reason: `Line ${line} is not valid JSON (${(error as Error).message}); write one JSON object per line, or plain text.` };
  }
  const parsed = PromptLineSchema.safeParse(json);
  if (parsed.success) return { kind: "prompt", prompt: parsed.data, plain: false };
  const given = (json as { id?: unknown } | null)?.id;
  const id = typeof given === "string" && ID.test(given) ? given : `line-${line}`;
  const problems = parsed.error.issues.map((i) => (i.code === "unrecognized_keys" ? `unknown field ${i.keys.map((k) => JSON.stringify(k)).join(", ")}` : i.message));
  return { kind: "invalid", id, reason: `Line ${line} is not a version 1 prompt: ${problems.join("; ")}.` };
}

/** The line for a prompt that started no task. */
export function refusedLine(id: string, status: "invalid" | "failed", summary: string, error: string): ResultLine {
  return { version: CHANNEL_VERSION, id, task: null, status, summary, pullRequest: null, plan: null, error };
}

/** What an outbox line says, to recognise one written just before a restart (`id|status|plan version`). */
export function lineKey(line: Pick<ResultLine, "id" | "status"> & { plan: { version: number } | null }): string {
  return `${line.id}|${line.status}|${line.plan?.version ?? ""}`;
}
