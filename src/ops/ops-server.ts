/**
 * A small HTTP server carrying only the operator endpoints, for processes
 * that have no Probot web server (`node src/main.ts worker`): workers record
 * most metrics (LLM usage, sandbox runs, GitHub calls), so Prometheus scrapes
 * them here, and the container health check asks /healthz. Anything else is
 * 404. Requests with a body are refused and their connection closed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { checkOtherHead, refuse } from "../github/webhook-guard.ts";
import type { OpsHandler } from "./http-routes.ts";

export interface OpsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export function startOpsServer(handler: OpsHandler, options: { host: string; port: number; bodyTimeoutMs?: number }): Promise<OpsServer> {
  const timeoutMs = options.bodyTimeoutMs ?? 10_000;
  // A request must arrive whole within the deadline (checked every second), and none may carry a body.
  const server = createServer({ headersTimeout: timeoutMs, requestTimeout: timeoutMs, connectionsCheckingInterval: 1000 }, (req, res) => {
    const refusal = checkOtherHead(req.headers);
    if (refusal) return void refuse(res, refusal);
    handler(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404, { "content-type": "application/json; charset=utf-8" }).end('{"error":"Not found"}\n');
      },
      () => {
        if (!res.headersSent) res.writeHead(500).end();
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
      });
    });
  });
}
