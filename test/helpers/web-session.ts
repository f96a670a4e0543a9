/**
 * Signing in to a running OpenJules over HTTP as a browser would, against the
 * GitHub stand-in's OAuth flow (github-oauth.ts): GET /app/auth/login, follow
 * to GitHub's consent page (which answers for `login`), then the callback
 * with the state cookie. Gives the session cookie and the CSRF token (from
 * GET /api/v1/me), for tests of what a signed-in user may do.
 */
import assert from "node:assert/strict";
import type { GitHubOAuth } from "./github-oauth.ts";

export interface WebSignIn {
  /** `oj_session=<secret>`, for a Cookie header. */
  cookie: string;
  /** The Set-Cookie the callback answered with. */
  setCookie: string;
  /** Where the callback sent the browser. */
  location: string;
  csrfToken: string;
}

/** `name=value` of a Set-Cookie line. */
export const cookiePair = (setCookie: string): string => setCookie.split(";")[0]!;

export function setCookieNamed(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

export async function signInOverHttp(base: string, oauth: GitHubOAuth, login: string, next = "/app/"): Promise<WebSignIn> {
  const start = await fetch(`${base}/app/auth/login?next=${encodeURIComponent(next)}`, { redirect: "manual" });
  assert.equal(start.status, 302, await start.text());
  const state = setCookieNamed(start, "oj_oauth");
  assert.ok(state, "the login sets the oj_oauth cookie");
  oauth.signInAs = login;
  const consent = await fetch(start.headers.get("location")!, { redirect: "manual" });
  assert.equal(consent.status, 302, "GitHub's consent page sends the browser back");
  const callback = await fetch(consent.headers.get("location")!, { redirect: "manual", headers: { cookie: cookiePair(state) } });
  assert.equal(callback.status, 302, await callback.text());
  const setCookie = setCookieNamed(callback, "oj_session");
  assert.ok(setCookie, "the callback sets the oj_session cookie");
  const cookie = cookiePair(setCookie);
  const me = await fetch(`${base}/api/v1/me`, { headers: { cookie } });
  assert.equal(me.status, 200, await me.clone().text());
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  return { cookie, setCookie, location: callback.headers.get("location")!, csrfToken };
}
