/**
 * A task's live event log in the browser: EventSource on
 * /api/v1/tasks/:id/events (history first, then live; the browser resumes
 * with Last-Event-ID after a drop), batched so a burst of history renders
 * once, with the connection's state for the page to show.
 */
import { useEffect, useRef, useState } from "react";
import { mergeEvents } from "./activity.ts";
import type { TaskLogEvent } from "./types.ts";

const TYPES = ["state", "activity", "tool", "command", "output", "plan", "pull_request", "message", "usage", "paused"] as const;

export type StreamStatus = "connecting" | "live" | "reconnecting" | "closed";

export interface TaskEvents {
  events: TaskLogEvent[];
  status: StreamStatus;
  /** The server's own message when the stream failed on its side. */
  failure: string | null;
  reconnect(): void;
}

/** `onNews` gets the types of each batch of new events (to re-read the task when its state or plan changed). */
export function useTaskEvents(id: string, onNews: (types: ReadonlySet<string>) => void): TaskEvents {
  const [events, setEvents] = useState<TaskLogEvent[]>([]);
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const [failure, setFailure] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const news = useRef(onNews);
  news.current = onNews;
  const lastId = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new round opens the stream again (reconnect)
  useEffect(() => {
    const after = lastId.current;
    const source = new EventSource(`/api/v1/tasks/${encodeURIComponent(id)}/events${after > 0 ? `?after=${after}` : ""}`);
    let buffer: TaskLogEvent[] = [];
    let timer = 0;
    const flush = () => {
      timer = 0;
      const batch = buffer;
      buffer = [];
      if (batch.length === 0) return;
      lastId.current = Math.max(lastId.current, ...batch.map((e) => e.id));
      setEvents((known) => mergeEvents(known, batch));
      news.current(new Set(batch.map((e) => e.data.type)));
    };
    const onEvent = (message: MessageEvent<string>) => {
      try {
        buffer.push(JSON.parse(message.data) as TaskLogEvent);
      } catch {
        return;
      }
      if (!timer) timer = window.setTimeout(flush, 120);
    };
    for (const type of TYPES) source.addEventListener(type, onEvent as EventListener);
    source.onopen = () => {
      setStatus("live");
      setFailure(null);
    };
    source.onerror = (event) => {
      const data = (event as MessageEvent<string>).data;
      if (typeof data === "string" && data !== "") {
        try {
          setFailure((JSON.parse(data) as { detail?: string }).detail ?? data);
        } catch {
          setFailure(data);
        }
      }
      setStatus(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    };
    return () => {
      // What is still buffered is not counted in lastId: a reconnect asks for it again.
      window.clearTimeout(timer);
      source.close();
    };
  }, [id, round]);

  return { events, status, failure, reconnect: () => setRound((r) => r + 1) };
}
