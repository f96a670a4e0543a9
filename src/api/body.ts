/**
 * The JSON body of a POST to /api/v1, read the way the webhook guard reads
 * webhooks: judged from the head first (Content-Type application/json, a
 * Content-Length of at most MAX_BODY_BYTES; chunked bodies are refused),
 * then read whole within a deadline, then parsed and validated with the
 * route's zod schema. A body that is refused unread closes the connection
 * instead of being drained. No body at all stands for `{}` on routes whose
 * fields are all optional.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { lingerThenClose, readBody } from "../github/webhook-guard.ts";
import { fromZod, invalid, type Problem } from "./problem.ts";

/** Bodies are small (an instruction is at most 20 000 characters). */
export const MAX_BODY_BYTES = 256 * 1024;
const JSON_TYPE = /^\s*application\/json\s*(?:;|$)/i;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** Closes the connection once the answer is out, so an unread body is never drained. */
function closeAfter(res: ServerResponse, problem: Problem): Parsed<never> {
  res.shouldKeepAlive = false;
  res.req.socket.destroySoon = () => lingerThenClose(res.req.socket);
  return { ok: false, problem: { ...problem, headers: { connection: "close", ...problem.headers } } };
}

export async function readJson<T>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>, options: { timeoutMs: number; required: boolean }): Promise<Parsed<T>> {
  const length = req.headers["content-length"];
  const chunked = req.headers["transfer-encoding"] !== undefined;
  if (chunked) {
    return closeAfter(res, {
      code: "length_required",
      status: 411,
      title: "Length required",
      detail: "Send the JSON body with a Content-Length header (chunked bodies are refused).",
    });
  }
  if (length === undefined || length === "0") {
    return options.required ? { ok: false, problem: invalid("This request needs a JSON body; see /api/v1/openapi.json for its fields.") } : validate(schema, {});
  }
  const type = req.headers["content-type"];
  if (typeof type !== "string" || !JSON_TYPE.test(type)) {
    return closeAfter(res, {
      code: "unsupported_media_type",
      status: 415,
      title: "Unsupported media type",
      detail: `The body must be JSON: send Content-Type: application/json${type ? ` (got ${type})` : ""}.`,
      headers: { "accept-post": "application/json" },
    });
  }
  const bytes = Number(length);
  if (!Number.isSafeInteger(bytes) || bytes > MAX_BODY_BYTES) {
    return closeAfter(res, {
      code: "payload_too_large",
      status: 413,
      title: "Body too large",
      detail: `The body is ${length} bytes; the API takes at most ${MAX_BODY_BYTES} bytes.`,
    });
  }
  const body = await readBody(req, bytes, options.timeoutMs);
  if (body === "timeout")
    return closeAfter(res, { code: "timeout", status: 408, title: "Body too slow", detail: `The body did not arrive within ${options.timeoutMs} ms; send it again.` });
  if (body === "aborted") return closeAfter(res, invalid("The body ended before its Content-Length."));
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return { ok: false, problem: invalid(`The body is not valid JSON (${(error as Error).message}).`) };
  }
  return validate(schema, value);
}

function validate<T>(schema: z.ZodType<T>, value: unknown): Parsed<T> {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: fromZod(parsed.error, "body") };
}
