import type { Logger } from "pino";
import { PersonalTokens } from "../access/personal-tokens.ts";
import type { TokenSources } from "../access/resolve-principal.ts";
import type { OpsHandler } from "../ops/http-routes.ts";
import type { Settings } from "../settings.ts";
import type { TaskStore } from "../store/port.ts";
import type { ControlPlane } from "../tasks/control/port.ts";

/** Paths whose handlers read and limit their own request bodies (the webhook guard lets their bodies through). */
export const FACE_PATHS = /^\/(?:api\/v1|mcp|app)(?:\/|$)/;
const API = /^\/api\/v1(?:\/|$)/;
const MCP = /^\/mcp\/?$/;
const WEB = /^\/app(?:\/|$)/;

/**
 * The tokens a bearer token is resolved against (src/access), built once.
 * A malformed personal token file stops the start with its problem named.
 */
export function accessFrom(settings: Settings): TokenSources {
  const file = settings.ops.apiTokensFile;
  const tokens = file ? new PersonalTokens(file) : null;
  tokens?.entries();
  return { operatorToken: settings.ops.apiToken, tokens };
}

/**
 * One handler for an HTTP server of the process: the HTTP API at /api/v1 and
 * MCP over Streamable HTTP at /mcp (both over the control plane, loaded on
 * their first request so an idle process does not hold them), then the
 * operator endpoints. Without any token configured the faces are off (404,
 * saying how to turn them on), as the read-only task API was, except that
 * /api/v1 is on with sign-in alone (the web app's session cookie).
 */
export function facesHandler(input: {
  settings: Settings;
  log: Logger;
  access: TokenSources;
  control: () => Promise<ControlPlane>;
  ops: OpsHandler;
  /** The store (the web app's sessions live in it). */
  store: TaskStore;
  /** Aborted when the process stops: open event streams end. */
  shutdown: AbortSignal;
}): OpsHandler {
  const { settings, log, access } = input;
  let api: Promise<OpsHandler> | null = null;
  let mcp: Promise<OpsHandler> | null = null;
  let web: Promise<OpsHandler> | null = null;
  const loadWeb = async () => (await import("../web/handler.ts")).createWebHandler({ settings, log, store: input.store });
  const noTokens = access.operatorToken === undefined && access.tokens === null;
  const loadApi = async () => {
    const { createApiHandler } = await import("../api/handler.ts");
    const { sessionsFor } = await import("../accounts/sessions.ts");
    // With sign-in on, the web app's session cookie authenticates too (face web).
    const cookies = settings.web.oauth ? { sessions: sessionsFor(settings, input.store.accounts, log), web: settings.web, log } : null;
    return createApiHandler({
      control: await input.control(),
      access,
      accounts: (await import("./accounts.ts")).accountsFor(settings, access, input.store, input.control),
      cookies,
      // The page plays the server's audio when an engine is found here (the control plane finds it the same way), else speaks with the browser.
      features: { userKeys: settings.web.allowUserKeys, speech: (await (await import("../speech/espeak.ts")).findEspeak({ tts: settings.web.tts })) ? "server" : "browser" },
      log,
      bodyTimeoutMs: settings.server.bodyTimeoutMs,
      shutdown: input.shutdown,
      secrets: settings.secrets,
    });
  };
  const loadMcp = async () => {
    const { createMcpHttpHandler, loopbackHosts } = await import("../mcp/http.ts");
    return createMcpHttpHandler({ control: await input.control(), dataDir: settings.dataDir, access, allowedHosts: loopbackHosts(settings.server.host), log });
  };
  return async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (WEB.test(path)) return (await (web ??= loadWeb()))(req, res);
    const face = API.test(path) ? "api" : MCP.test(path) ? "mcp" : null;
    if (face === null) return input.ops(req, res);
    // The API is on with a token source or sign-in; MCP only with a token source.
    if (noTokens && (face === "mcp" || !settings.web.oauth)) {
      res.writeHead(404, { "content-type": "application/problem+json", "cache-control": "no-store" });
      res.end(
        `${JSON.stringify({
          type: "about:blank",
          title: face === "mcp" ? "MCP is off" : "The task API is off",
          status: 404,
          detail:
            face === "mcp"
              ? "Set JULES_API_TOKEN (the operator token) or JULES_API_TOKENS (personal tokens) to turn on /mcp."
              : "Set JULES_API_TOKEN (the operator token) or JULES_API_TOKENS (personal tokens), or sign-in with GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, to turn on /api/v1.",
        })}\n`,
      );
      return true;
    }
    const handler = face === "api" ? await (api ??= loadApi()) : await (mcp ??= loadMcp());
    return handler(req, res);
  };
}
