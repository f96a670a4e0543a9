/**
 * GitHub's OAuth web flow for a GitHub App, and what its user-to-server token
 * reads, as a stand-in extension (github-standin.ts) over HTTP:
 *
 * - GET /login/oauth/authorize: GitHub's consent page, here only the redirect
 *   target: it checks client_id and redirect_uri and sends the browser back
 *   to redirect_uri with a code for the user `signInAs` names (or with
 *   error=access_denied when `deny` is set), and the state it was given.
 * - POST /login/oauth/access_token: the code for a token, answering as GitHub
 *   does: HTTP 200 either way, JSON when Accept asks for application/json,
 *   else a urlencoded form; refusals as `error`, `error_description`,
 *   `error_uri` (bad_verification_code, incorrect_client_credentials,
 *   redirect_uri_mismatch). Parameters from the query, a form or JSON.
 * - GET /api/v3/user, /api/v3/user/installations and
 *   /api/v3/user/installations/{id}/repositories with that token, paged
 *   (per_page, page, Link), each request and answer checked against GitHub's
 *   OpenAPI description. The OAuth endpoints are not in that description:
 *   what GitHub documents of them is checked here.
 */
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { StandinExtension } from "./github-standin.ts";
import { example } from "./github-mock.ts";
import { checkRequest, checkResponse } from "./openapi.ts";

export interface OAuthInstallation {
  id: number;
  /** The GitHub App it is an installation of (OpenJules's is settings.github.appId). */
  appId: number;
  /** `owner/name` */
  repositories: string[];
}

export interface OAuthUser {
  login: string;
  installations: OAuthInstallation[];
}

export interface GitHubOAuthOptions {
  clientId: string;
  clientSecret: string;
  users: OAuthUser[];
  /** Tokens that expire (the GitHub App default): the answer has expires_in and a refresh token. */
  expiring?: boolean;
}

type Answer = { status: number; headers?: Record<string, string>; body: string } | { drop: true };

const ERROR_URI = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";
const OAUTH_ERRORS = {
  bad_verification_code: "The code passed is incorrect or expired.",
  incorrect_client_credentials: "The client_id and/or client_secret passed are incorrect.",
  redirect_uri_mismatch: "The redirect_uri MUST match the registered callback URL for this application.",
} as const;
const CODE_MS = 10 * 60_000;
const idOf = (login: string) => 200_000 + [...login.toLowerCase()].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 9_000_000, 11);

export class GitHubOAuth implements StandinExtension {
  readonly options: GitHubOAuthOptions;
  /** Who GitHub's consent page signs in (the next GET /login/oauth/authorize); null: no one is signed in to GitHub. */
  signInAs: string | null = null;
  /** The user declines on the consent page. */
  deny = false;
  /** Parts of GitHub that fail: `exchange` (the token endpoint) or `api` (the REST calls); `down` cuts the connection, a number answers that status. */
  failing: { exchange?: "down" | number; api?: "down" | number } = {};
  /** The `redirect_uri` and `state` each authorize request brought. */
  readonly authorizations: { redirectUri: string; state: string; clientId: string }[] = [];
  readonly #codes = new Map<string, { login: string; redirectUri: string; at: number; used: boolean }>();
  readonly #tokens = new Map<string, string>();

  constructor(options: GitHubOAuthOptions) {
    this.options = options;
  }

  user(login: string): OAuthUser {
    const found = this.options.users.find((u) => u.login.toLowerCase() === login.toLowerCase());
    if (!found) throw new Error(`the fake GitHub has no user ${login}`);
    return found;
  }

  /** A code as the consent page gives it, for a test that drives the callback itself. */
  codeFor(login: string, redirectUri: string): string {
    this.user(login);
    const code = randomBytes(10).toString("hex");
    this.#codes.set(code, { login, redirectUri, at: Date.now(), used: false });
    return code;
  }

  /** Tokens handed out, for a test that calls GitHub as the user. */
  tokenOf(login: string): string | undefined {
    return [...this.#tokens].find(([, l]) => l === login)?.[0];
  }

  answer(request: { method: string; url: URL; headers: IncomingHttpHeaders; text: string }, violations: string[]): Answer | null {
    const { method, url } = request;
    if (url.pathname === "/login/oauth/authorize") return method === "GET" ? this.#authorize(url, violations) : refuse(violations, `${method} /login/oauth/authorize`);
    if (url.pathname === "/login/oauth/access_token") return method === "POST" ? this.#exchange(request, violations) : refuse(violations, `${method} /login/oauth/access_token`);
    const path = url.pathname.replace(/^\/api\/v3/, "");
    if (!/^\/user(?:\/installations(?:\/\d+\/repositories)?)?$/.test(path)) return null;
    return this.#rest(method, path, url, request.headers, violations);
  }

  #authorize(url: URL, violations: string[]): Answer {
    const q = url.searchParams;
    const clientId = q.get("client_id") ?? "";
    const redirectUri = q.get("redirect_uri") ?? "";
    const state = q.get("state") ?? "";
    this.authorizations.push({ redirectUri, state, clientId });
    if (clientId !== this.options.clientId) violations.push(`GET /login/oauth/authorize with client_id "${clientId}", not the app's`);
    if (!state) violations.push("GET /login/oauth/authorize without a state");
    if (q.has("scope")) violations.push("GET /login/oauth/authorize with a scope: a GitHub App's user authorization takes none");
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      violations.push(`GET /login/oauth/authorize with redirect_uri "${redirectUri}"`);
      return { status: 404, headers: { "content-type": "text/html" }, body: "<p>The redirect_uri is not valid.</p>" };
    }
    if (this.deny) {
      target.searchParams.set("error", "access_denied");
      target.searchParams.set("error_description", "The user has denied your application access.");
      target.searchParams.set("error_uri", `${ERROR_URI.replace("access-token-request-errors", "authorization-request-errors")}/#access-denied`);
    } else if (this.signInAs) {
      target.searchParams.set("code", this.codeFor(this.signInAs, redirectUri));
    } else {
      return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: "<p>Sign in to GitHub to continue.</p>" };
    }
    target.searchParams.set("state", state);
    return { status: 302, headers: { location: target.toString() }, body: "" };
  }

  #exchange(request: { url: URL; headers: IncomingHttpHeaders; text: string }, violations: string[]): Answer {
    if (this.failing.exchange === "down") return { drop: true };
    if (typeof this.failing.exchange === "number") return { status: this.failing.exchange, headers: { "content-type": "text/html" }, body: "<h1>Unicorn!</h1>" };
    const params = new URLSearchParams(request.url.search);
    const type = request.headers["content-type"] ?? "";
    if (request.text) {
      if (type.startsWith("application/json")) {
        for (const [k, v] of Object.entries(JSON.parse(request.text) as Record<string, unknown>)) if (v !== undefined && v !== null) params.set(k, String(v));
      } else if (type.startsWith("application/x-www-form-urlencoded")) {
        for (const [k, v] of new URLSearchParams(request.text)) params.set(k, v);
      } else violations.push(`POST /login/oauth/access_token with a body of type "${type}"`);
    }
    for (const name of ["client_id", "client_secret", "code"]) if (!params.get(name)) violations.push(`POST /login/oauth/access_token without ${name}`);
    const asJson = (request.headers.accept ?? "").includes("application/json");
    const reply = (fields: Record<string, string | number>): Answer =>
      asJson
        ? { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(fields) }
        : {
            status: 200,
            headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
            body: new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString(),
          };
    const error = (name: keyof typeof OAUTH_ERRORS) => reply({ error: name, error_description: OAUTH_ERRORS[name], error_uri: `${ERROR_URI}/#${name.replaceAll("_", "-")}` });
    if (params.get("client_id") !== this.options.clientId || params.get("client_secret") !== this.options.clientSecret) return error("incorrect_client_credentials");
    const code = this.#codes.get(params.get("code") ?? "");
    if (!code || code.used || Date.now() - code.at > CODE_MS) return error("bad_verification_code");
    const redirectUri = params.get("redirect_uri");
    if (redirectUri !== null && redirectUri !== code.redirectUri) return error("redirect_uri_mismatch");
    code.used = true;
    const token = `ghu_${randomBytes(18).toString("hex")}`;
    this.#tokens.set(token, code.login);
    return reply(
      this.options.expiring
        ? {
            access_token: token,
            expires_in: 28_800,
            refresh_token: `ghr_${randomBytes(30).toString("hex")}`,
            refresh_token_expires_in: 15_897_600,
            token_type: "bearer",
            scope: "",
          }
        : { access_token: token, token_type: "bearer", scope: "" },
    );
  }

  #rest(method: string, path: string, url: URL, headers: IncomingHttpHeaders, violations: string[]): Answer {
    if (this.failing.api === "down") return { drop: true };
    const full = path + url.search;
    violations.push(...checkRequest(method, full, undefined));
    const json = (status: number, body: unknown, extra: Record<string, string> = {}): Answer => {
      if (status < 500) violations.push(...checkResponse(method, path, status, body));
      return { status, headers: { "content-type": "application/json; charset=utf-8", ...extra }, body: JSON.stringify(body) };
    };
    if (typeof this.failing.api === "number") return json(this.failing.api, { message: "Server Error" });
    const token = /^(?:token|bearer) (\S+)$/i.exec(headers.authorization ?? "")?.[1];
    const login = token ? this.#tokens.get(token) : undefined;
    if (!login) return json(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    const user = this.user(login);
    if (path === "/user") return json(200, { ...example<Record<string, unknown>>("private-user"), login: user.login, id: idOf(user.login), user_view_type: "private" });
    const page = <T>(all: T[]) => {
      const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), 100);
      const at = Number(url.searchParams.get("page") ?? 1);
      const items = all.slice((at - 1) * perPage, at * perPage);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (n: number, rel: string) => {
        const next = new URL(url.pathname + url.search, `http://${headers.host}`);
        next.searchParams.set("page", String(n));
        return `<${next.toString()}>; rel="${rel}"`;
      };
      const links = [...(at < last ? [link(at + 1, "next"), link(last, "last")] : []), ...(at > 1 ? [link(1, "first"), link(at - 1, "prev")] : [])];
      const paging: Record<string, string> = links.length ? { link: links.join(", ") } : {};
      return { items, headers: paging };
    };
    if (path === "/user/installations") {
      const template = example<{ installations: Record<string, unknown>[] }>("base-installation-for-auth-user-paginated").installations[0]!;
      const all = user.installations.map((i) => ({
        ...template,
        id: i.id,
        app_id: i.appId,
        app_slug: i.appId === 1 ? "openjules" : `app-${i.appId}`,
        access_tokens_url: `https://api.github.com/app/installations/${i.id}/access_tokens`,
        repositories_url: "https://api.github.com/installation/repositories",
        html_url: `https://github.com/settings/installations/${i.id}`,
      }));
      const { items, headers: extra } = page(all);
      return json(200, { total_count: all.length, installations: items }, extra);
    }
    const installationId = Number(path.split("/")[3]);
    const installation = user.installations.find((i) => i.id === installationId);
    if (!installation) return json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    const template = example<{ repositories: Record<string, unknown>[] }>("repository-paginated").repositories[0]!;
    const all = installation.repositories.map((fullName, n) => {
      const [owner, name] = fullName.split("/") as [string, string];
      return {
        ...template,
        id: installationId * 1000 + n,
        name,
        full_name: fullName,
        owner: { ...(template.owner as Record<string, unknown>), login: owner },
        html_url: `https://github.com/${fullName}`,
        url: `https://api.github.com/repos/${fullName}`,
      };
    });
    const { items, headers: extra } = page(all);
    return json(200, { total_count: all.length, repositories: items }, extra);
  }
}

function refuse(violations: string[], what: string): Answer {
  violations.push(`${what}: GitHub serves no such method`);
  return { status: 404, headers: { "content-type": "text/html" }, body: "Not Found" };
}
