/**
 * The caller of a request to /api/v1. With an Authorization header: its
 * bearer token resolved by src/access (the operator token or a personal
 * token) into a Caller with face `api`. Without one, the web app's session
 * cookie (`oj_session`), when sign-in is on: the session resolved by
 * src/accounts into a Caller with face `web`, and a state-changing request
 * must pass the CSRF rule (src/web/cookies.ts). Only who is asking is
 * decided here; what they may do is the control plane's to decide.
 */
import type { IncomingMessage } from "node:http";
import type { Sessions } from "../accounts/sessions.ts";
import { resolvePrincipal, type TokenSources } from "../access/resolve-principal.ts";
import type { Caller } from "../domain/actor.ts";
import { bearerToken } from "../ops/bearer.ts";
import type { WebSettings } from "../settings.ts";
import type { WebSession } from "../store/port.ts";
import { csrfFailure, readCookie, SESSION_COOKIE } from "../web/cookies.ts";
import type { Problem } from "./problem.ts";

/** The web app's sessions, for requests that come with its cookie (null or absent: sign-in is off). */
export interface CookieAuth {
  sessions: Pick<Sessions, "resolve">;
  web: Pick<WebSettings, "publicUrl">;
  log?: { warn(details: Record<string, unknown>, message: string): void };
}

export type Authentication = { ok: true; caller: Caller; session: WebSession | null } | { ok: false; problem: Problem };

export const SESSION_EXPIRED = "Your session expired; sign in again.";

export async function authenticate(req: IncomingMessage, sources: TokenSources, cookies?: CookieAuth | null): Promise<Authentication> {
  const header = req.headers.authorization;
  const secret = cookies && header === undefined ? readCookie(req, SESSION_COOKIE) : null;
  if (cookies && secret !== null) return bySession(req, cookies, secret);
  const bearer = bearerToken(header);
  if (bearer === null && header !== undefined) {
    return { ok: false, problem: unauthorized("the Authorization header is not a bearer token: send Authorization: Bearer <token>", "invalid_request") };
  }
  const resolved = resolvePrincipal(bearer, sources);
  if (resolved.ok) return { ok: true, caller: { principal: resolved.principal, face: "api" }, session: null };
  if (resolved.status === 503) return { ok: false, problem: { code: "unavailable", status: 503, title: "Tokens unavailable", detail: sentence(resolved.message) } };
  const message = bearer === null && cookies ? `you are not signed in: sign in at /app/auth/login, or ${resolved.message.replace(/^no token: /, "")}` : resolved.message;
  return { ok: false, problem: unauthorized(message, bearer === null ? null : "invalid_token") };
}

async function bySession(req: IncomingMessage, cookies: CookieAuth, secret: string): Promise<Authentication> {
  const found = await cookies.sessions.resolve(secret);
  if (!found.ok) {
    const problem = unauthorized("you are not signed in (this browser's session is not known here): sign in again", null);
    return { ok: false, problem: found.reason === "unknown" ? problem : { ...problem, detail: SESSION_EXPIRED } };
  }
  const failure = csrfFailure(req, found.session.csrfToken, cookies.web);
  if (failure) {
    cookies.log?.warn({ login: found.session.login, method: req.method, path: req.url, failure }, "a request with the session cookie failed the CSRF check");
    return { ok: false, problem: { code: "forbidden", status: 403, title: "CSRF check failed", detail: "CSRF check failed: reload the page." } };
  }
  return { ok: true, caller: { principal: found.principal, face: "web" }, session: found.session };
}

function unauthorized(message: string, error: "invalid_request" | "invalid_token" | null): Problem {
  const challenge = `Bearer realm="openjules"${error ? `, error="${error}"` : ""}`;
  return { code: "unauthorized", status: 401, title: "Unauthorized", detail: sentence(message), headers: { "www-authenticate": challenge } };
}

const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
