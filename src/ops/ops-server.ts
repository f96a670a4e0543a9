/**
 * A small HTTP server carrying only the operator endpoints, for processes
 * that have no Probot web server (`node src/main.ts worker`): workers record
 * most metrics (LLM usage, sandbox runs, GitHub calls), so Prometheus scrapes
 * them here, and the container health check asks /healthz. Anything else is
 * 404.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { OpsHandler } from "./http-routes.ts";

export interface OpsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export function startOpsServer(handler: OpsHandler, options: { host: string; port: number }): Promise<OpsServer> {
  const server = createServer((req, res) => {
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
