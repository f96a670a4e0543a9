/**
 * The HTTP face /api/v1, in the OpsHandler shape (src/ops/http-routes.ts):
 * it answers only paths under /api/v1 (false for the rest), finds the route,
 * authenticates the bearer token into a Caller (face `api`), refuses
 * unknown query parameters, reads and validates the body, calls the route
 * (which calls the control plane) and renders its outcome; every failure is
 * problem+json. GET /api/v1/openapi.json needs no token.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TokenSources } from "../access/resolve-principal.ts";
import type { AccountUseCases } from "../accounts/use-cases.ts";
import type { Logger } from "../domain/logger.ts";
import type { OpsHandler } from "../ops/http-routes.ts";
import { TASK_ID } from "../ops/task-api.ts";
import type { ControlPlane } from "../tasks/control/port.ts";
import { httpStatus } from "../github/http-status.ts";
import { authenticate, type CookieAuth } from "./auth.ts";
import { readJson } from "./body.ts";
import { openApiDocument } from "./openapi.ts";
import { invalid, type Problem, sendJson, sendProblem } from "./problem.ts";
import type { ApiRoute, Features, Outcome } from "./route.ts";
import { accountRoutes } from "./routes/account.ts";
import { EVENT_ROUTES } from "./routes/events.ts";
import { ME_ROUTES } from "./routes/me.ts";
import { REPO_ROUTES } from "./routes/repos.ts";
import { SETTINGS_ROUTES } from "./routes/settings.ts";
import { SUMMARY_ROUTES } from "./routes/summary.ts";
import { TASK_ROUTES } from "./routes/tasks.ts";

export interface ApiOptions {
  control: ControlPlane;
  /** The operator token and the personal tokens (src/access). */
  access: TokenSources;
  /** The caller's own tokens and provider keys (/me/tokens, /me/keys); absent: those routes answer 503. */
  accounts?: AccountUseCases | null;
  /** The web app's session cookie, accepted when a request has no Authorization header (absent: sign-in is off). */
  cookies?: CookieAuth | null;
  /** What GET /me says this server offers; by default nothing beyond what `access` and `cookies` tell. */
  features?: Partial<Features>;
  log: Pick<Logger, "error">;
  /** Time for a request body to arrive (settings.server.bodyTimeoutMs). Default 10 s. */
  bodyTimeoutMs?: number;
  /** SSE comment lines to keep idle streams open. Default 15 s. */
  heartbeatMs?: number;
  /** Aborted when the server stops: open event streams end. */
  shutdown?: AbortSignal;
  /** The process's own secrets (settings.secrets): redacted, with known secret shapes, from the events shown. */
  secrets?: readonly string[];
}

const PREFIX = "/api/v1";
/** The paths this handler owns: the webhook guard must let their bodies through (its `ownBodies`). */
export const API_PATHS = /^\/api\/v1(?:\/|$)/;

export function createApiHandler(options: ApiOptions): OpsHandler {
  let document: Record<string, unknown> | null = null;
  const openapi: ApiRoute<never> = {
    method: "GET",
    path: "/openapi.json",
    operationId: "openApiDocument",
    summary: "This document",
    auth: false,
    responses: { 200: { description: "The OpenAPI 3.1 document of /api/v1", other: { "application/json": { type: "object" } } } },
    problems: [],
    handle: async () => ({ status: 200, json: (document ??= openApiDocument(ROUTES)) }),
  };
  const ROUTES = [
    openapi,
    ...ME_ROUTES,
    ...TASK_ROUTES,
    ...EVENT_ROUTES,
    ...SUMMARY_ROUTES,
    ...REPO_ROUTES,
    ...SETTINGS_ROUTES,
    ...accountRoutes(options.accounts ?? null),
  ] as ApiRoute<never>[];
  const features: Features = { signIn: Boolean(options.cookies), userKeys: false, personalTokens: options.access.tokens !== null, speech: "browser", ...options.features };
  const table = ROUTES.map((r) => ({ route: r, pattern: new RegExp(`^${r.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]*)")}$`) }));

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.slice(PREFIX.length).replace(/(.)\/$/, "$1") || "/";
    const matches = table.flatMap(({ route, pattern }) => {
      const m = pattern.exec(path);
      return m ? [{ route, params: decode(m.groups ?? {}) }] : [];
    });
    if (matches.length === 0)
      return sendProblem(res, { code: "not_found", status: 404, title: "Not found", detail: `There is no ${PREFIX}${path}; the routes are listed in ${PREFIX}/openapi.json.` });
    const match = matches.find((m) => m.route.method === req.method || (req.method === "HEAD" && m.route.method === "GET"));
    if (!match) {
      const allow = [...new Set(matches.map((m) => m.route.method))].join(", ");
      return sendProblem(res, {
        code: "method_not_allowed",
        status: 405,
        title: "Method not allowed",
        detail: `${req.method} is not allowed on ${PREFIX}${path}; use ${allow}.`,
        headers: { allow },
      });
    }
    const { route, params } = match;
    let caller = null;
    let session = null;
    if (route.auth !== false) {
      const auth = await authenticate(req, options.access, options.cookies);
      if (!auth.ok) return sendProblem(res, auth.problem);
      ({ caller, session } = auth);
    }
    const refused = checkParams(route, url.searchParams, params);
    if (refused) return sendProblem(res, refused);
    let body: unknown;
    if (route.body) {
      const parsed = await readJson(req, res, route.body.schema, { timeoutMs: options.bodyTimeoutMs ?? 10_000, required: route.body.required });
      if (!parsed.ok) return sendProblem(res, parsed.problem);
      body = parsed.value;
    }
    const gone = new AbortController();
    const stop = () => gone.abort();
    res.once("close", stop);
    options.shutdown?.addEventListener("abort", stop, { once: true });
    if (options.shutdown?.aborted) stop();
    try {
      const outcome = await route.handle({
        caller: caller!,
        session,
        features,
        control: options.control,
        params,
        query: url.searchParams,
        body: body as never,
        req,
        res,
        signal: gone.signal,
        heartbeatMs: options.heartbeatMs ?? 15_000,
        secrets: options.secrets ?? [],
        onStreamError: (error) => options.log.error({ err: error, path: url.pathname }, "an event stream failed"),
      });
      render(res, outcome);
    } finally {
      options.shutdown?.removeEventListener("abort", stop);
    }
  }

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!API_PATHS.test(url.pathname)) return false;
    try {
      await serve(req, res, url);
    } catch (error) {
      options.log.error({ err: error, path: url.pathname }, "an API request failed");
      const github = httpStatus(error);
      if (!res.headersSent && github !== undefined)
        sendProblem(res, {
          code: "bad_gateway",
          status: 502,
          title: "GitHub request failed",
          detail: `GitHub answered ${github} to a request this needed; try again in a minute. If it keeps failing, the app may lack a permission or installation: the OpenJules logs name the request.`,
        });
      else if (!res.headersSent)
        sendProblem(res, {
          code: "internal",
          status: 500,
          title: "Internal error",
          detail: "The server failed on this request; the OpenJules logs say why. Try again, or tell the operator.",
        });
      else res.end();
    }
    return true;
  };
}

function render(res: ServerResponse, outcome: Outcome): void {
  if ("streamed" in outcome) return;
  if ("problem" in outcome) return sendProblem(res, outcome.problem);
  if ("text" in outcome || "bytes" in outcome) {
    const body = "text" in outcome ? outcome.text : outcome.bytes;
    res.writeHead(outcome.status, { "content-type": outcome.contentType, "content-length": String(Buffer.byteLength(body)), "cache-control": "no-store" });
    res.end(body);
    return;
  }
  sendJson(res, outcome.status, outcome.json, outcome.headers);
}

function decode(groups: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(groups).map(([k, v]) => {
      try {
        return [k, decodeURIComponent(v)];
      } catch {
        return [k, v];
      }
    }),
  );
}

/** Unknown or repeated query parameters, and a malformed task id, are refused before anything else. */
function checkParams(route: ApiRoute<never>, query: URLSearchParams, params: Record<string, string>): Problem | null {
  if (params.id !== undefined && !TASK_ID.test(params.id)) return invalid(`"${params.id}" is not a task id: a task id has 1 to 64 letters, digits, '-' or '_'.`);
  const known = (route.params ?? []).filter((p) => (p.in ?? "query") === "query").map((p) => p.name);
  for (const name of new Set(query.keys())) {
    if (!known.includes(name))
      return invalid(
        known.length ? `Unknown parameter "${name}"; the accepted ones are ${known.join(", ")}.` : `Unknown parameter "${name}"; this route takes no query parameters.`,
      );
    if (query.getAll(name).length > 1) return invalid(`Parameter "${name}" was given more than once.`);
  }
  return null;
}
