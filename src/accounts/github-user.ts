/**
 * GitHub as a signed-in person sees it, through the GitHub App's own user
 * authorization (the OAuth web flow of @octokit/oauth-methods): the address
 * that asks GitHub for consent, the code exchanged for a user-to-server token,
 * and with that token who the user is and which repositories they can reach
 * through installations of this app (GET /user/installations, then each
 * installation's repositories, 100 a page). The token is used for nothing
 * else. GitHub Enterprise Server: the REST base settings.github.baseUrl, from
 * which oauth-methods takes the web host (`<host>/api/v3` → `<host>`, the
 * same as settings.web.webHost).
 */
import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from "@octokit/oauth-methods";
import { Octokit } from "@octokit/rest";
import type { Settings } from "../settings.ts";

export interface GitHubUserOptions {
  /** The GitHub App's OAuth client (settings.web.oauth); null: only the token's calls work (sign-in is off). */
  client: { clientId: string; clientSecret: string } | null;
  /** REST base (settings.github.baseUrl); api.github.com when undefined. */
  baseUrl: string | undefined;
  /** settings.github.appId: only installations of this app count. */
  appId: number;
  /** Each call to GitHub gives up after this long (default 15 s). */
  timeoutMs?: number;
}

export interface GitHubUser {
  /** The consent page on GitHub to send the browser to. */
  authorizationUrl(input: { redirectUrl: string; state: string }): string;
  /** The user-to-server token for a code GitHub gave the callback. */
  exchange(input: { code: string; redirectUrl: string }): Promise<string>;
  whoIs(token: string): Promise<{ login: string; id: number }>;
  /** `owner/name` (lower case, sorted) of the repositories the user reaches through installations of this app. */
  repositories(token: string): Promise<string[]>;
}

/**
 * The status GitHub answered a failed call with (an OAuth refusal, which GitHub sends as 200 with an
 * error body, is 400 here, as oauth-methods reports it); null when GitHub could not be reached at all.
 */
export function gitHubStatus(error: unknown): number | null {
  const failed = error as { status?: unknown; response?: unknown } | null;
  return failed?.response !== undefined && typeof failed.status === "number" ? failed.status : null;
}

export function gitHubUser(options: GitHubUserOptions): GitHubUser {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const octokit = (token?: string) =>
    new Octokit({
      ...(token ? { auth: token } : {}),
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      userAgent: "openjules",
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      request: { signal: AbortSignal.timeout(timeoutMs) },
    });
  const client = () => {
    if (!options.client) throw new Error("sign-in is off: GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are not set");
    return { clientType: "github-app" as const, ...options.client };
  };
  return {
    authorizationUrl: ({ redirectUrl, state }) => {
      const { clientType, clientId } = client();
      return getWebFlowAuthorizationUrl({ clientType, clientId, redirectUrl, state, allowSignup: false, request: octokit().request }).url;
    },
    async exchange({ code, redirectUrl }) {
      const { authentication } = await exchangeWebFlowCode({ ...client(), code, redirectUrl, request: octokit().request });
      return authentication.token;
    },
    async whoIs(token) {
      const { data } = await octokit(token).request("GET /user");
      return { login: data.login, id: Number(data.id) };
    },
    async repositories(token) {
      const gh = octokit(token);
      const installations = await gh.paginate("GET /user/installations", { per_page: 100 });
      const names = new Set<string>();
      for (const installation of installations.filter((i) => i.app_id === options.appId)) {
        const repos = await gh.paginate("GET /user/installations/{installation_id}/repositories", { installation_id: installation.id, per_page: 100 });
        for (const repo of repos) names.add(repo.full_name.toLowerCase());
      }
      return [...names].sort();
    },
  };
}

/** GitHub for signed-in users, as the settings configure it (the App's OAuth client, GHE's base URL, this app's id). */
export const gitHubUserFor = (settings: Pick<Settings, "web" | "github">): GitHubUser =>
  gitHubUser({ client: settings.web.oauth, baseUrl: settings.github.baseUrl, appId: settings.github.appId });
