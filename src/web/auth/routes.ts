import type { OpsHandler } from "../../ops/http-routes.ts";
import type { WebOptions } from "../handler.ts";

/** Sign-in routes under /app/auth (being written: answers 503 until then). */
export function createAuthRoutes(_options: WebOptions): OpsHandler {
  return async (_req, res) => {
    res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end("Sign-in is not available yet.\n");
    return true;
  };
}
