/**
 * Calls to /api/v1 on the same origin with the session cookie: JSON in and
 * out, the CSRF token on every request that changes something, and every
 * failure as an ApiProblem carrying the server's problem+json detail. A 401
 * anywhere tells the app the session is gone (it shows the sign-in page).
 */

export interface ProblemDetails {
  type?: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: { path: string; message: string }[];
  constructor(problem: ProblemDetails) {
    super(problem.detail || problem.title);
    this.name = "ApiProblem";
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
  }
}

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<(problem: ApiProblem) => void>();

/** The session's CSRF token (from GET /api/v1/me), sent as X-CSRF-Token on every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called with the problem whenever an answer is 401 (the session expired or was revoked). */
export function onUnauthorized(listener: (problem: ApiProblem) => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** The failure of an answer that is not ok, from its problem+json body when it has one. */
async function problemOf(res: Response): Promise<ApiProblem> {
  let body: Partial<ProblemDetails> | null = null;
  try {
    body = (await res.json()) as Partial<ProblemDetails>;
  } catch {
    body = null;
  }
  const title = typeof body?.title === "string" ? body.title : res.statusText || "Request failed";
  const detail = typeof body?.detail === "string" ? body.detail : `The server answered ${res.status} ${res.statusText}.`;
  const errors = Array.isArray(body?.errors) ? body.errors : undefined;
  return new ApiProblem({ title, status: res.status, detail, ...(errors ? { errors } : {}) });
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (method !== "GET" && method !== "HEAD") {
    if (csrfToken) headers["x-csrf-token"] = csrfToken;
    if (options.body !== undefined) headers["content-type"] = "application/json";
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiProblem({ title: "Network error", status: 0, detail: "OpenJules could not be reached; check your connection and try again." });
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401) for (const listener of unauthorizedListeners) listener(problem);
    throw problem;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>("GET", `/api/v1${path}`, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>("POST", `/api/v1${path}`, { ...options, body: body ?? {} }),
};

/** The message a person reads for any failure. */
export function describeError(error: unknown): { title: string; detail: string } {
  if (error instanceof ApiProblem) return { title: error.title, detail: error.detail };
  return { title: "Something went wrong", detail: error instanceof Error ? error.message : String(error) };
}

/** A fresh Idempotency-Key (random, printable ASCII); getRandomValues works outside secure contexts too. */
export function idempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `/api/v1/repos/{owner}/{repo}`… for an `owner/name`. */
export function repoPath(fullName: string): string {
  const [owner = "", name = ""] = fullName.split("/");
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

/** A link target from task data only when it is a web address (never `javascript:` or the like). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}
