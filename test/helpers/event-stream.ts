/**
 * A client of `GET /api/v1/tasks/:id/events` for tests against a running
 * process: it opens the stream with a bearer token (and `Last-Event-ID` when
 * resuming), reads it with the CLI's own SSE parser (src/ops/cli/sse.ts),
 * keeps every message, the events they carry and the raw text (heartbeats
 * included), waits until what arrived satisfies a check, and closes by
 * aborting the request, as a client that goes away does.
 */
import type { TaskLogEvent } from "../../src/domain/model.ts";
import { SseParser, type SseMessage } from "../../src/ops/cli/sse.ts";

export interface EventStream {
  status: number;
  contentType: string | null;
  /** Every message so far (id, event type, data), in arrival order. */
  messages: SseMessage[];
  /** The task events the messages carry (their data), in arrival order. */
  events: TaskLogEvent[];
  /** Everything the server wrote so far, as text. */
  raw(): string;
  /** Resolves once `check(events)` holds; fails after `ms` with what arrived. */
  until(check: (events: TaskLogEvent[]) => boolean, what: string, ms?: number): Promise<void>;
  /** Aborts the request and waits until reading stopped. */
  close(): Promise<void>;
}

export async function openEventStream(base: string, taskId: string, options: { token: string; lastEventId?: number }): Promise<EventStream> {
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: "text/event-stream" };
  if (options.lastEventId !== undefined) headers["last-event-id"] = String(options.lastEventId);
  const res = await fetch(`${base}/api/v1/tasks/${encodeURIComponent(taskId)}/events`, { headers, signal: abort.signal });
  const parser = new SseParser();
  const messages: SseMessage[] = [];
  const events: TaskLogEvent[] = [];
  let text = "";
  let ended = false;
  const pumped = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const bytes of res.body) {
        const chunk = decoder.decode(bytes, { stream: true });
        text += chunk;
        for (const message of parser.push(chunk)) {
          messages.push(message);
          if (message.event !== "error") events.push(JSON.parse(message.data) as TaskLogEvent);
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    messages,
    events,
    raw: () => text,
    async until(check, what, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (!check(events)) {
        if (ended) throw new Error(`the stream ended before ${what}; it said:\n${text}`);
        if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms; the stream said:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      abort.abort();
      await pumped;
    },
  };
}
