/**
 * The web face under /app: the sign-in routes (/app/auth/*: ./auth/routes.ts)
 * and the web app itself (the built single-page app with its security
 * headers: ./assets.ts). The pages call /api/v1 on the same origin with the
 * session cookie; what a user sees and may do is decided there, by the
 * control plane, as for every face.
 */
import type { Logger } from "../domain/logger.ts";
import type { OpsHandler } from "../ops/http-routes.ts";
import type { Settings } from "../settings.ts";
import type { TaskStore } from "../store/port.ts";
import { createAssetHandler } from "./assets.ts";
import { createAuthRoutes } from "./auth/routes.ts";

export interface WebOptions {
  settings: Settings;
  log: Pick<Logger, "info" | "warn" | "error">;
  store: TaskStore;
}

const AUTH = /^\/app\/auth(?:\/|$)/;

export function createWebHandler(options: WebOptions): OpsHandler {
  const auth = createAuthRoutes(options);
  const assets = createAssetHandler(options);
  return async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    return AUTH.test(path) ? auth(req, res) : assets(req, res);
  };
}
