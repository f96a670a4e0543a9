/**
 * The remote transport of the task commands: the HTTP API /api/v1 of an
 * OpenJules server, with Node's fetch and a bearer token. Errors come back as
 * problem+json ({title, status, detail}) and become the UseCaseError of the
 * status; a server that cannot be reached is `unavailable`, with what to
 * check. `follow` reads the SSE stream of GET /tasks/:id/events and, when
 * the stream drops, reconnects with Last-Event-ID after the last event it
 * passed on, so nothing is missed or repeated.
 */
import type { TaskLogEvent } from "../../domain/model.ts";
import type { Result, TaskPage, TaskView } from "../../tasks/control/port.ts";
import { ClientError, type TaskClient } from "./client.ts";
import type { RemoteTarget } from "./remote-config.ts";
import { readSse } from "./sse.ts";
import { fromWire, getJson, queryOf, unreachable, type Wire } from "./remote-http.ts";

export interface RemoteOptions {
  /** Told when the event stream dropped and is being reopened (`monitor` shows it). */
  onReconnect?(attempt: number, reason: string): void;
  /** Wait before reopening a dropped stream when the server named no `retry:` (ms). */
  reconnectMs?: number;
  /** Consecutive failed reopenings before giving up. */
  maxReconnects?: number;
}

export function remoteClient(target: RemoteTarget, options: RemoteOptions = {}, fetchImpl: typeof fetch = fetch): TaskClient {
  const wire: Wire = { target, fetch: fetchImpl };
  const task = (id: string) => `/api/v1/tasks/${encodeURIComponent(id)}`;
  const post = <T>(path: string, body: object) => getJson<T>(wire, path, { method: "POST", body });
  return {
    where: target.server,
    close: async () => undefined,
    list: (query) =>
      getJson<TaskPage>(wire, `/api/v1/tasks${queryOf({ repo: query.repository, owner: query.owner, state: query.state, limit: query.limit, offset: query.offset })}`),
    get: (id) => getJson<TaskView>(wire, task(id)),
    create: (input) =>
      // 201 with the new task; 200 with the task an earlier request with the same Idempotency-Key made.
      getJson(wire, "/api/v1/tasks", { method: "POST", body: { ...input, idempotencyKey: undefined }, idempotencyKey: input.idempotencyKey }, (task: never, status) => ({
        task,
        created: status === 201,
      })),
    approve: (id, input) => post(`${task(id)}/approve`, input),
    revise: (id, input) => post(`${task(id)}/revise`, input),
    message: (id, input) => post(`${task(id)}/message`, input),
    cancel: (id, input) => post(`${task(id)}/cancel`, input),
    pause: (id, input) => post(`${task(id)}/pause`, input),
    resume: (id, input) => post(`${task(id)}/resume`, input),
    retry: (id) => post(`${task(id)}/retry`, {}),
    diff: (id) => getJson(wire, `${task(id)}/diff`),
    repositories: () => getJson(wire, "/api/v1/repos", {}, (json: { repositories: never }) => json.repositories),
    events: (id, input) => getJson(wire, `${task(id)}/events${queryOf({ after: input.after, limit: input.limit })}`, {}, (json: { events: never }) => json.events),
    follow: (id, input) => follow(wire, `${task(id)}/events`, id, input, options),
  };
}

async function open(wire: Wire, path: string, after: number, signal: AbortSignal): Promise<Result<ReadableStream<Uint8Array>>> {
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (wire.target.token) headers.authorization = `Bearer ${wire.target.token}`;
  if (after > 0) headers["last-event-id"] = String(after);
  let response: Response;
  try {
    response = await wire.fetch(`${wire.target.server}${path}`, { headers, signal });
  } catch (error) {
    return { ok: false, error: unreachable(wire, error) };
  }
  if (!response.ok || !response.body) return { ok: false, error: await fromWire(response) };
  return { ok: true, value: response.body };
}

async function follow(
  wire: Wire,
  path: string,
  taskId: string,
  input: { after: number; signal: AbortSignal },
  options: RemoteOptions,
): Promise<Result<AsyncIterable<TaskLogEvent>>> {
  const first = await open(wire, path, input.after, input.signal);
  if (!first.ok) return first;
  async function* events(): AsyncGenerator<TaskLogEvent> {
    let body: ReadableStream<Uint8Array> | null = first.ok ? first.value : null;
    let last = input.after;
    let failures = 0;
    let retryMs = options.reconnectMs ?? 1000;
    while (!input.signal.aborted) {
      let reason = "the server closed the stream";
      if (body) {
        try {
          for await (const message of readSse(body)) {
            const event = asLogEvent(message.data);
            if (event && event.id > last) {
              last = event.id;
              failures = 0;
              yield event;
            }
          }
        } catch (error) {
          if (input.signal.aborted) return;
          reason = (error as Error).message;
        }
      }
      failures += 1;
      if (failures > (options.maxReconnects ?? 30))
        throw new ClientError({
          code: "unavailable",
          title: "Event stream lost",
          detail: `The event stream of task ${taskId} dropped ${failures} times in a row (${reason}); run the command again when the server is back.`,
        });
      options.onReconnect?.(failures, reason);
      await sleep(retryMs, input.signal);
      retryMs = Math.min(retryMs * 2, 15_000);
      const again = await open(wire, path, last, input.signal);
      body = again.ok ? again.value : null;
      if (!again.ok && again.error.code !== "unavailable") throw new ClientError(again.error);
    }
  }
  return { ok: true, value: events() };
}

/** The event of an SSE message (its data is the event as JSON); null for other messages (an `error` notice). */
function asLogEvent(data: string): TaskLogEvent | null {
  try {
    const value = JSON.parse(data) as Partial<TaskLogEvent>;
    return typeof value.id === "number" && typeof value.data === "object" && value.data !== null ? (value as TaskLogEvent) : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
