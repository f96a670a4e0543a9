/**
 * A task's event log and its diff. Events answer as Server-Sent Events
 * (history first, then live; resumable with Last-Event-ID or ?after=) or,
 * with ?format=json or Accept: application/json, as one JSON page. The diff
 * answers as text/x-diff, or as JSON with ?format=json or Accept:
 * application/json.
 */
import { invalid } from "../problem.ts";
import { answer, json, type Outcome, route, wantsJson } from "../route.ts";
import { DiffSchema, EventPage } from "../schemas/bodies.ts";
import { redactEvent, redactEvents } from "../redact-event.ts";
import { streamEvents } from "../sse.ts";

const DEFAULT_PAGE = 100;
const MAX_PAGE = 500;

/** A non-negative integer, or null when malformed. */
const eventId = (raw: string): number | null => (/^\d{1,15}$/.test(raw) ? Number(raw) : null);

const events = route({
  method: "GET",
  path: "/tasks/{id}/events",
  operationId: "taskEvents",
  summary: "The task's event log: a live stream (SSE), or a page of JSON",
  description:
    "As text/event-stream: every event after `after` (or the Last-Event-ID header, which wins), then new ones as they happen, each with `id:` (the event id), `event:` (its type) and `data:` (the event as JSON); a comment line every 15 seconds keeps the connection open. As JSON: at most `limit` events after `after`.",
  params: [
    { name: "after", description: "Only events with a larger id (0: from the start)", schema: { type: "integer", minimum: 0 } },
    { name: "limit", description: `JSON only: at most this many events, 1 to ${MAX_PAGE} (default ${DEFAULT_PAGE})`, schema: { type: "integer", minimum: 1, maximum: MAX_PAGE } },
    { name: "format", description: "sse or json (default: from the Accept header; SSE otherwise)", schema: { type: "string", enum: ["sse", "json"] } },
    { name: "Last-Event-ID", in: "header", description: "The id of the last event received (sent by EventSource on reconnect)", schema: { type: "string" } },
  ],
  responses: {
    200: { description: "The events", schema: EventPage, other: { "text/event-stream": { type: "string" } } },
  },
  problems: [403, 404],
  async handle({ caller, control, params, query, req, res, signal, heartbeatMs, secrets, onStreamError }): Promise<Outcome> {
    const format = query.get("format");
    if (format !== null && format !== "sse" && format !== "json") return { problem: invalid(`format must be sse or json, got "${format}".`) };
    const header = req.headers["last-event-id"];
    const rawAfter = typeof header === "string" && header.trim() !== "" ? header.trim() : query.get("after");
    const after = rawAfter === null ? 0 : eventId(rawAfter);
    if (after === null) return { problem: invalid(`The event id to resume after (Last-Event-ID or ?after=) must be a non-negative integer, got "${rawAfter}".`) };
    const id = params.id!;
    if (wantsJson(format, req.headers.accept, "text/event-stream")) {
      const rawLimit = query.get("limit");
      const limit = rawLimit === null ? DEFAULT_PAGE : eventId(rawLimit);
      if (limit === null || limit < 1 || limit > MAX_PAGE) return { problem: invalid(`limit must be an integer from 1 to ${MAX_PAGE}, got "${rawLimit}".`) };
      return answer(control.events(caller, id, { after, limit }), (page) => json(200, { events: page.map((e) => redactEvent(e, secrets)), lastEventId: page.at(-1)?.id ?? after }));
    }
    if (query.has("limit")) return { problem: invalid("limit applies to the JSON page only (add format=json); a stream has no limit.") };
    const followed = await control.follow(caller, id, { after, signal });
    if (!followed.ok) return answer(Promise.resolve(followed), () => ({ streamed: true }));
    await streamEvents(res, redactEvents(followed.value, secrets), { heartbeatMs, signal, onError: onStreamError });
    return { streamed: true };
  },
});

const diff = route({
  method: "GET",
  path: "/tasks/{id}/diff",
  operationId: "taskDiff",
  summary: "The unified diff of the task's branch against its base",
  params: [{ name: "format", description: "diff or json (default: from the Accept header; text/x-diff otherwise)", schema: { type: "string", enum: ["diff", "json"] } }],
  responses: { 200: { description: "The diff (empty when the branch has no change)", schema: DiffSchema, other: { "text/x-diff": { type: "string" } } } },
  problems: [403, 404, 409, 503],
  async handle({ caller, control, params, query, req }) {
    const format = query.get("format");
    if (format !== null && format !== "diff" && format !== "json") return { problem: invalid(`format must be diff or json, got "${format}".`) };
    const asJson = wantsJson(format, req.headers.accept, "text/x-diff");
    return answer(control.diff(caller, params.id!), (d) => (asJson ? json(200, d) : { status: 200, text: d.diff, contentType: "text/x-diff; charset=utf-8" }));
  },
});

export const EVENT_ROUTES = [events, diff];
