/**
 * One JSON request to the server's API, as a Result: the bearer token, an
 * Idempotency-Key when given, and the answer's problem+json turned into the
 * UseCaseError of its status (with what to do for 401 and 403, which the
 * server cannot know how the CLI was set up).
 */
import { ERROR_STATUS, type ErrorCode, type Result, type UseCaseError } from "../../tasks/control/port.ts";
import type { RemoteTarget } from "./remote-config.ts";

export interface Wire {
  target: RemoteTarget;
  fetch: typeof fetch;
}

interface RequestOptions {
  method?: "GET" | "POST";
  body?: object;
  idempotencyKey?: string | undefined;
}

export async function getJson<T>(wire: Wire, path: string, options: RequestOptions = {}, pick: (json: never, status: number) => T = (json) => json): Promise<Result<T>> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (wire.target.token) headers.authorization = `Bearer ${wire.target.token}`;
  if (options.body) headers["content-type"] = "application/json";
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  let response: Response;
  try {
    response = await wire.fetch(`${wire.target.server}${path}`, {
      method: options.method ?? "GET",
      headers,
      ...(options.body && { body: JSON.stringify(options.body) }),
    });
  } catch (error) {
    return { ok: false, error: unreachable(wire, error) };
  }
  if (!response.ok) return { ok: false, error: await fromWire(response) };
  return { ok: true, value: pick((await response.json()) as never, response.status) };
}

const CODES = Object.fromEntries(Object.entries(ERROR_STATUS).map(([code, status]) => [status, code])) as Record<number, ErrorCode>;

/** The UseCaseError of a failed answer (problem+json when the server sent it). */
export async function fromWire(response: Response): Promise<UseCaseError> {
  const text = await response.text().catch(() => "");
  let problem: { title?: unknown; detail?: unknown } = {};
  try {
    problem = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): the status says what happened.
  }
  const code = CODES[response.status] ?? (response.status >= 500 ? "unavailable" : "invalid");
  const title = typeof problem.title === "string" ? problem.title : `HTTP ${response.status} ${response.statusText}`.trim();
  let detail = typeof problem.detail === "string" ? problem.detail : text.slice(0, 300) || "The server gave no detail.";
  if (code === "unauthorized") detail += " (The CLI sends JULES_API_TOKEN, or the token of ~/.config/openjules/config.json.)";
  return { code, title, detail };
}

export function unreachable(wire: Wire, error: unknown): UseCaseError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return {
    code: "unavailable",
    title: "Server unreachable",
    detail: `Could not reach ${wire.target.server} (${why}); check the URL given with --server, JULES_SERVER_URL or the config file, and that the server is running.`,
  };
}

/** `?a=1&b=x` from the defined values. */
export function queryOf(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}
