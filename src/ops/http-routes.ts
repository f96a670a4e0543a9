/**
 * One HTTP handler, in the shape Probot's Server takes (`server.addHandler`),
 * for the operator endpoints: GET /healthz (alive), GET /readyz (database,
 * queue, disk), GET /metrics (Prometheus text) and the read-only task API,
 * GET /api/tasks and GET /api/tasks/:id, behind a bearer token (off, 404,
 * when no token is configured). It answers only its own paths (returns false
 * for anything else, so Probot's handlers keep the rest) and always answers
 * JSON with `cache-control: no-store`, except the metrics text.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../domain/logger.ts";
import type { JobQueue } from "../queue/port.ts";
import type { TaskStore } from "../store/port.ts";
import { redactSecrets } from "../security/redact.ts";
import { bearerToken, tokenMatches } from "./bearer.ts";
import { checkReadiness, liveness, type ReadinessDeps } from "./health.ts";
import type { Metrics } from "./metrics.ts";
import { listTasks, parseListQuery, TASK_ID, taskDetail } from "./task-api.ts";

export interface OpsRoutesOptions {
  store: TaskStore;
  queue: Pick<JobQueue, "depth">;
  dataDir: string;
  metrics: Pick<Metrics, "render" | "contentType">;
  /** Operator token for /api/tasks (JULES_API_TOKEN); the API is off without one. */
  apiToken?: string | undefined;
  /** Web address of GitHub for links in task details. Default https://github.com. */
  webBase?: string;
  readiness?: Pick<ReadinessDeps, "minFreeBytes" | "timeoutMs">;
  /** Secrets to strip from readiness errors (API keys, database password) before they are shown. */
  secrets?: readonly string[];
  log?: Pick<Logger, "error">;
}

export type OpsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const OWN_PATHS = /^\/(?:healthz|readyz|metrics|api\/tasks(?:\/[^/]*)?)\/?$/;

export function createOpsHandler(options: OpsRoutesOptions): OpsHandler {
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
    res.end(`${JSON.stringify(body)}\n`);
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/(.)\/$/, "$1");
    if (path === "/healthz") return json(res, 200, liveness());
    if (path === "/readyz") {
      const report = await checkReadiness({ store: options.store, queue: options.queue, dataDir: options.dataDir, ...options.readiness });
      const checks = report.checks.map((c) => (c.error ? { ...c, error: redactSecrets(c.error, options.secrets ?? []) } : c));
      return json(res, report.ready ? 200 : 503, { status: report.ready ? "ready" : "not_ready", checks });
    }
    if (path === "/metrics") {
      const text = await options.metrics.render();
      res.writeHead(200, { "content-type": options.metrics.contentType, "cache-control": "no-store" });
      res.end(text);
      return;
    }
    if (!options.apiToken) return json(res, 404, { error: "The task API is off. Set JULES_API_TOKEN to enable it." });
    if (!tokenMatches(bearerToken(req.headers.authorization), options.apiToken)) {
      return json(res, 401, { error: "A valid operator token is required: send Authorization: Bearer <JULES_API_TOKEN>." }, { "www-authenticate": 'Bearer realm="openjules"' });
    }
    if (path === "/api/tasks") {
      const parsed = parseListQuery(url.searchParams);
      if (!parsed.ok) return json(res, 400, { error: parsed.error });
      return json(res, 200, await listTasks(options.store, parsed.filter));
    }
    const id = path.slice("/api/tasks/".length);
    if (!TASK_ID.test(id)) return json(res, 400, { error: "A task id has 1 to 64 letters, digits, '-' or '_'." });
    const detail = await taskDetail(options.store, options.dataDir, id, options.webBase);
    if (!detail) return json(res, 404, { error: `No task with id ${id}.` });
    return json(res, 200, detail);
  }

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!OWN_PATHS.test(url.pathname)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      json(res, 405, { error: `${req.method ?? "This method"} is not allowed here; use GET.` }, { allow: "GET, HEAD" });
      return true;
    }
    try {
      await route(req, res, url);
    } catch (error) {
      options.log?.error({ err: error, path: url.pathname }, "an operator endpoint failed");
      if (!res.headersSent) json(res, 500, { error: "Internal error; see the OpenJules logs." });
      else res.end();
    }
    return true;
  };
}
