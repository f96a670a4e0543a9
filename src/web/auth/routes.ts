/**
 * Sign-in with GitHub under /app/auth (the GitHub App's own user
 * authorization, the OAuth web flow):
 *
 * - GET /app/auth/login?next=/app/…: a random state in the signed `oj_oauth`
 *   cookie (with where to go after), then 302 to GitHub's consent page.
 * - GET /app/auth/callback?code&state: the state checked against the cookie,
 *   the code exchanged and the session made (src/accounts/sign-in.ts), its
 *   secret set as `oj_session`, then 302 to `next`.
 * - POST /app/auth/logout: with the session's CSRF token (X-CSRF-Token, or
 *   `csrf_token` in a small form body), revokes the session, clears the
 *   cookie, 303 to /app/.
 *
 * Whatever goes wrong (declined on GitHub, a state that does not match or
 * has expired, GitHub unreachable, sign-in off) is a plain page saying so,
 * with a "Try again" link.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gitHubUserFor } from "../../accounts/github-user.ts";
import { sessionsFor } from "../../accounts/sessions.ts";
import { signIn } from "../../accounts/sign-in.ts";
import { checkOtherHead, readBody } from "../../github/webhook-guard.ts";
import type { OpsHandler } from "../../ops/http-routes.ts";
import {
  clearedSessionCookie,
  clearedStateCookie,
  csrfFailure,
  readCookie,
  readState,
  SESSION_COOKIE,
  safeNext,
  sessionCookie,
  signState,
  STATE_COOKIE,
  stateCookie,
} from "../cookies.ts";
import { securityHeaders } from "../assets.ts";
import type { WebOptions } from "../handler.ts";
import { type Page, sendPage } from "./page.ts";

const LOGIN = "/app/auth/login";
/** A sign-out form carries only its token. */
const MAX_FORM_BYTES = 1024;

export function createAuthRoutes(options: WebOptions): OpsHandler {
  const { settings, log } = options;
  const web = settings.web;
  const github = gitHubUserFor(settings);
  const sessions = sessionsFor(settings, options.store.accounts, log, github);
  const page = (res: ServerResponse, p: Page) => sendPage(res, p, web);
  /** JULES_PUBLIC_URL, else the address this request came to. */
  const base = (req: IncomingMessage) => web.publicUrl ?? `http://${req.headers.host ?? "localhost"}`;
  const callbackUrl = (req: IncomingMessage) => `${base(req)}/app/auth/callback`;
  const retryFor = (next: string) => `${LOGIN}?next=${encodeURIComponent(next)}`;
  const redirect = (res: ServerResponse, status: number, location: string, cookies: string | string[]) => {
    res.writeHead(status, { ...securityHeaders(web.webHost), location, "set-cookie": cookies, "cache-control": "no-store" });
    res.end();
  };

  const off = (res: ServerResponse) =>
    page(res, {
      status: 503,
      title: "Sign-in is off",
      says: [
        "This server has no OAuth client for its GitHub App: GITHUB_CLIENT_ID is not set.",
        "The operator copies the Client ID and a client secret from the GitHub App's settings page into GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (npm run setup writes them), and restarts OpenJules.",
      ],
      retry: LOGIN,
    });

  function login(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!web.oauth) return off(res);
    const next = safeNext(url.searchParams.get("next"));
    const state = randomBytes(24).toString("base64url");
    redirect(res, 302, github.authorizationUrl({ redirectUrl: callbackUrl(req), state }), stateCookie(signState({ state, next, issuedAt: Date.now() }, web.secretKey), web));
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!web.oauth) return off(res);
    const signed = readState(readCookie(req, STATE_COOKIE), web.secretKey, Date.now());
    const next = signed?.next ?? "/app/";
    // Every failure: a page saying what happened, with a Try again that keeps `next`, and the state cookie gone.
    const failed = (status: number, title: string, ...says: string[]) =>
      page(res, { status, title, says, retry: retryFor(next), headers: { "set-cookie": [clearedStateCookie(web)] } });
    const q = url.searchParams;
    const error = q.get("error");
    if (error === "access_denied")
      return failed(
        403,
        "Sign-in declined",
        "You did not authorize OpenJules on GitHub, so you are not signed in.",
        "To sign in, try again and choose Authorize on GitHub's page.",
      );
    if (error !== null)
      return failed(
        502,
        "GitHub refused the sign-in",
        `GitHub answered: ${q.get("error_description") ?? error} (${error}).`,
        "If it says the redirect URI is wrong, the operator sets the GitHub App's callback URL to this server's /app/auth/callback.",
      );
    if (!signed)
      return failed(
        400,
        "Sign-in expired",
        "This sign-in was not started in this browser, or it took longer than 10 minutes (the cookie that remembers it is gone).",
        "Sign in again from the start.",
      );
    if (q.get("state") !== signed.state)
      return failed(
        400,
        "Sign-in state mismatch",
        "The answer from GitHub does not belong to the sign-in this browser started (its state does not match), so it was not used.",
        "This happens with an old or copied link; sign in again from the start.",
      );
    const code = q.get("code");
    if (!code) return failed(400, "No sign-in code", "GitHub sent no code back, so there is nothing to sign in with.");
    const result = await signIn({ accounts: options.store.accounts, github, secretKey: web.secretKey, sessionMs: web.sessionMs, log }, { code, redirectUrl: callbackUrl(req) });
    if (!result.ok) {
      const unreachable = result.error.code === "unavailable";
      return failed(unreachable ? 502 : 400, unreachable ? "GitHub unreachable" : result.error.title, result.error.detail);
    }
    // A session this browser had before is over: the new one replaces it.
    const previous = readCookie(req, SESSION_COOKIE);
    if (previous) await sessions.signOut(previous);
    log.info({ login: result.value.session.login }, "signed in to the web app");
    redirect(res, 302, next, [sessionCookie(result.value.secret, web), clearedStateCookie(web)]);
  }

  async function logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const secret = readCookie(req, SESSION_COOKIE);
    const session = secret ? await sessions.find(secret) : null;
    if (secret && session && session.revokedAt === null) {
      const failure = csrfFailure(req, session.csrfToken, web, await formToken(req, settings.server.bodyTimeoutMs));
      if (failure) {
        log.warn({ login: session.login, failure }, "a sign-out failed the CSRF check");
        return page(res, {
          status: 403,
          title: "CSRF check failed",
          says: ["This sign-out did not come from an OpenJules page of this server, so you are still signed in.", "Reload the page and sign out from there."],
          retry: "/app/",
        });
      }
      await sessions.signOut(secret);
    }
    redirect(res, 303, "/app/", clearedSessionCookie(web));
  }

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/(.)\/$/, "$1");
    const routes: Record<string, { method: string; run: () => void | Promise<void> }> = {
      [LOGIN]: { method: "GET", run: () => login(req, res, url) },
      "/app/auth/callback": { method: "GET", run: () => callback(req, res, url) },
      "/app/auth/logout": { method: "POST", run: () => logout(req, res) },
    };
    const route = routes[path];
    if (!route) {
      page(res, { status: 404, title: "Not found", says: [`There is no page ${path}.`], retry: "/app/" });
      return true;
    }
    const method = req.method === "HEAD" ? "GET" : req.method;
    if (method !== route.method) {
      page(res, { status: 405, title: "Method not allowed", says: [`${path} takes ${route.method}.`], retry: "/app/", headers: { allow: route.method } });
      return true;
    }
    // Only a sign-out may carry a body, a small form; any other is refused unread and the connection closed.
    const refusal = path === "/app/auth/logout" && isSmallForm(req) ? null : checkOtherHead(req.headers);
    if (refusal) {
      res.shouldKeepAlive = false;
      page(res, { status: refusal.status, title: "Request refused", says: [refusal.error], retry: "/app/", headers: { connection: "close" } });
      return true;
    }
    await route.run();
    return true;
  };
}

function isSmallForm(req: IncomingMessage): boolean {
  const length = Number(req.headers["content-length"] ?? 0);
  const type = req.headers["content-type"] ?? "";
  return /^application\/x-www-form-urlencoded\b/i.test(type) && req.headers["transfer-encoding"] === undefined && Number.isSafeInteger(length) && length <= MAX_FORM_BYTES;
}

/** `csrf_token` of a small urlencoded form body (a sign-out form without script); undefined without one. */
async function formToken(req: IncomingMessage, timeoutMs: number): Promise<string | undefined> {
  const length = Number(req.headers["content-length"] ?? 0);
  if (!isSmallForm(req) || length === 0) return undefined;
  const body = await readBody(req, length, timeoutMs);
  return typeof body === "string" ? undefined : (new URLSearchParams(body.toString("utf8")).get("csrf_token") ?? undefined);
}
