import type { Server as HttpServer } from "node:http";
import type { Logger } from "pino";
import { type Probot, Server } from "probot";
import type { Intake } from "../github/intake.ts";
import { julesApp } from "../app.ts";
import type { OpsHandler } from "../ops/http-routes.ts";
import type { Settings } from "../settings.ts";

/**
 * The web server of a process that takes webhooks: Probot's Server with the
 * guarded Probot class, the app's event handlers and the operator endpoints
 * (/healthz, /readyz, /metrics, the task API) on HOST:PORT.
 */
export interface WebServer {
  server: Server;
  http: HttpServer;
  port: number;
}

export async function startWebServer(ProbotClass: typeof Probot, intake: Intake, handler: OpsHandler, settings: Settings, log: Logger): Promise<WebServer> {
  const server = new Server({
    Probot: ProbotClass,
    host: settings.server.host,
    port: settings.server.port,
    webhookPath: settings.github.webhookPath,
    webhookProxy: settings.github.webhookProxyUrl,
    log,
  });
  await server.load(julesApp(intake));
  server.addHandler(handler);
  const http = await server.start();
  // Backstop for requests the webhook guard does not time (heads that never end); checked every 30 s by Node.
  http.headersTimeout = settings.server.bodyTimeoutMs;
  http.requestTimeout = settings.server.bodyTimeoutMs;
  return { server, http, port: server.port };
}
