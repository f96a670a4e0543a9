/**
 * The web face's cookies and its CSRF rule, shared by the sign-in routes and
 * the HTTP API's cookie authentication (src/api/auth.ts imports this file, so
 * nothing in src/web may import src/api).
 *
 * - `oj_session`: the session's random secret; HttpOnly, SameSite=Lax, Path=/,
 *   Max-Age of the session, Secure when JULES_PUBLIC_URL is https.
 * - `oj_oauth`: the OAuth state and where to go after sign-in, HMAC-signed with
 *   settings.web.secretKey; Path=/app/auth, 10 minutes.
 * - CSRF: a state-changing request authenticated by the cookie carries the
 *   session's token in X-CSRF-Token, and its Origin (when sent) is this server's.
 */
import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { sameSecret } from "../access/personal-tokens.ts";
import type { WebSettings } from "../settings.ts";

export const SESSION_COOKIE = "oj_session";
export const STATE_COOKIE = "oj_oauth";
export const STATE_PATH = "/app/auth";
export const STATE_MAX_AGE_MS = 10 * 60_000;

type CookieSettings = Pick<WebSettings, "publicUrl" | "sessionMs">;

/** The value of the cookie `name` in the request's Cookie header, or null. */
export function readCookie(req: IncomingMessage, name: string): string | null {
  for (const pair of (req.headers.cookie ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim() || null;
  }
  return null;
}

function cookie(name: string, value: string, attributes: { path: string; maxAgeS: number; secure: boolean }): string {
  return [`${name}=${value}`, `Path=${attributes.path}`, `Max-Age=${attributes.maxAgeS}`, "HttpOnly", "SameSite=Lax", ...(attributes.secure ? ["Secure"] : [])].join("; ");
}

const secure = (web: Pick<WebSettings, "publicUrl">) => web.publicUrl?.startsWith("https://") ?? false;

export const sessionCookie = (secret: string, web: CookieSettings): string =>
  cookie(SESSION_COOKIE, secret, { path: "/", maxAgeS: Math.floor(web.sessionMs / 1000), secure: secure(web) });

export const clearedSessionCookie = (web: CookieSettings): string => cookie(SESSION_COOKIE, "", { path: "/", maxAgeS: 0, secure: secure(web) });

export const stateCookie = (value: string, web: CookieSettings): string => cookie(STATE_COOKIE, value, { path: STATE_PATH, maxAgeS: STATE_MAX_AGE_MS / 1000, secure: secure(web) });

export const clearedStateCookie = (web: CookieSettings): string => cookie(STATE_COOKIE, "", { path: STATE_PATH, maxAgeS: 0, secure: secure(web) });

/** This server's origin: JULES_PUBLIC_URL's, else the request's Host (over http). */
export function serverOrigin(req: IncomingMessage, web: Pick<WebSettings, "publicUrl">): string {
  return web.publicUrl ? new URL(web.publicUrl).origin : `http://${req.headers.host ?? "localhost"}`;
}

/**
 * Null when the request passes the CSRF rule, else what failed (for the log,
 * not the answer): X-CSRF-Token must be the session's token (or `formToken`,
 * the same token sent in a form), and an Origin header, when present, this
 * server's origin. GET and HEAD pass.
 */
export function csrfFailure(req: IncomingMessage, csrfToken: string, web: Pick<WebSettings, "publicUrl">, formToken?: string): string | null {
  if (req.method === "GET" || req.method === "HEAD") return null;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let given: string;
    try {
      given = new URL(origin).origin;
    } catch {
      return "a malformed Origin header";
    }
    // With JULES_PUBLIC_URL set, only its origin; else the Host the request came to, whatever its scheme behind a proxy.
    const expected = serverOrigin(req, web);
    const sameHost = !web.publicUrl && new URL(given).host === (req.headers.host ?? "");
    if (given !== expected && !sameHost) return `the Origin ${given} is not this server's (${expected})`;
  }
  const header = req.headers["x-csrf-token"];
  const token = typeof header === "string" ? header : formToken;
  if (!token) return "no X-CSRF-Token header";
  return sameSecret(token, csrfToken) ? null : "a wrong X-CSRF-Token";
}

/**
 * The signed `oj_oauth` value: `<state>.<next, base64url>.<issued at, ms>.<HMAC-SHA256>`, and its reading back
 * (null for a value not signed with this key, changed, or older than ten minutes).
 */
export function signState(input: { state: string; next: string; issuedAt: number }, key: Buffer): string {
  const body = `${input.state}.${Buffer.from(input.next, "utf8").toString("base64url")}.${input.issuedAt}`;
  return `${body}.${mac(body, key)}`;
}

export function readState(value: string | null, key: Buffer, now: number): { state: string; next: string } | null {
  const parts = value?.split(".") ?? [];
  if (parts.length !== 4) return null;
  const [state, next, issued, signature] = parts as [string, string, string, string];
  if (!sameSecret(signature, mac(`${state}.${next}.${issued}`, key))) return null;
  const issuedAt = Number(issued);
  if (!Number.isSafeInteger(issuedAt) || now - issuedAt > STATE_MAX_AGE_MS || issuedAt > now + 60_000) return null;
  return { state, next: Buffer.from(next, "base64url").toString("utf8") };
}

const mac = (body: string, key: Buffer) => createHmac("sha256", key).update(`openjules oauth state\n${body}`).digest("base64url");

/** `next` when it is a path under /app (normalized, as the browser would read it), else /app/. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/")) return "/app/";
  let url: URL;
  try {
    url = new URL(next, "http://localhost");
  } catch {
    return "/app/";
  }
  if (url.origin !== "http://localhost" || !(url.pathname === "/app" || url.pathname.startsWith("/app/"))) return "/app/";
  return `${url.pathname}${url.search}${url.hash}`;
}
