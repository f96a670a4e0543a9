import type { OpsHandler } from "../ops/http-routes.ts";
import type { WebOptions } from "./handler.ts";

/** The built web app under /app (being written: answers 503 until then). */
export function createAssetHandler(_options: WebOptions): OpsHandler {
  return async (_req, res) => {
    res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end("The web app is not built yet.\n");
    return true;
  };
}
