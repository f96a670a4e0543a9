/**
 * A task's events as Server-Sent Events: each event is `id: <event id>`,
 * `event: <type>`, `data: <the event as JSON>`, so a client that reconnects
 * with Last-Event-ID (browsers do it by themselves) gets exactly what it
 * missed. A comment line every `heartbeatMs` keeps proxies from closing an
 * idle stream; the stream stops when the client goes away (the control
 * plane's follow ends with the abort) or the server shuts down.
 */
import type { ServerResponse } from "node:http";
import { once } from "node:events";
import type { TaskLogEvent } from "../domain/model.ts";

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store",
  "x-accel-buffering": "no",
} as const;

export function formatEvent(event: TaskLogEvent): string {
  return `id: ${event.id}\nevent: ${event.data.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export interface StreamOptions {
  heartbeatMs: number;
  /** Aborted when the client closed the connection or the server is stopping. */
  signal: AbortSignal;
  onError(error: unknown): void;
}

export async function streamEvents(res: ServerResponse, events: AsyncIterable<TaskLogEvent>, options: StreamOptions): Promise<void> {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  const write = async (text: string) => {
    if (!res.write(text) && !options.signal.aborted) await once(res, "drain", { signal: options.signal }).catch(() => undefined);
  };
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), options.heartbeatMs);
  try {
    await write("retry: 3000\n\n");
    for await (const event of events) {
      if (options.signal.aborted) break;
      await write(formatEvent(event));
    }
  } catch (error) {
    if (!options.signal.aborted) {
      options.onError(error);
      res.write(
        `event: error\ndata: ${JSON.stringify({ title: "Stream failed", detail: "The event stream stopped on a server error; reconnect with Last-Event-ID to go on." })}\n\n`,
      );
    }
  } finally {
    clearInterval(heartbeat);
    res.end();
  }
}
