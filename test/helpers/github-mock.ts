/**
 * GitHub's REST API mocked at the HTTP level with nock. Every request that
 * reaches the mock is checked against GitHub's OpenAPI description, and so is
 * every answer the mock gives; any violation or unmatched request fails the
 * test in `assertClean()`. Named helpers set up the endpoints OpenJules uses.
 */
import assert from "node:assert/strict";
import nock from "nock";
import { checkRequest, checkResponse, findOperation } from "./openapi.ts";

export const API = "https://api.github.com";
/** The installation token the mocked GitHub hands out (the test git server accepts it). */
export const INSTALLATION_TOKEN = "ghs_test_installation_token_0123456789";

/**
 * The fetch Octokit is given in tests. Octokit sends request bodies with
 * `duplex: "half"`, which nock 15's interceptor mishandles (replies hang or
 * interceptors are matched twice); the request is otherwise unchanged.
 */
export const testFetch = (url: string | URL, init: RequestInit & { duplex?: string }) => {
  const { duplex: _duplex, ...rest } = init;
  return fetch(url, rest);
};
export interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

let nextId = 5000;
const now = () => new Date().toISOString();

export class GitHubMock {
  readonly scope: nock.Scope;
  /** Persisted interceptors live in their own scope: nock's persist() applies to a whole scope. */
  readonly editScope: nock.Scope;
  readonly requests: Recorded[] = [];
  readonly violations: string[] = [];
  readonly owner: string;
  readonly repo: string;

  constructor(owner = "Codertocat", repo = "Hello-World") {
    this.owner = owner;
    this.repo = repo;
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
    findOperation("GET", "/"); // load GitHub's description before the clock matters
    this.scope = nock(API);
    this.editScope = nock(API).persist();
    for (const scope of [this.scope, this.editScope]) this.#listen(scope);
  }

  #listen(scope: nock.Scope) {
    scope.on("request", (req: { method: string; url: string }, _interceptor: unknown, body: string) => {
      const url = new URL(req.url);
      const path = url.pathname + url.search;
      const parsed = body ? safeJson(body) : undefined;
      this.requests.push({ method: req.method, path, body: parsed });
      this.violations.push(...checkRequest(req.method, path, parsed));
    });
  }

  reply(status: number, method: string, path: string, body: unknown) {
    this.violations.push(...checkResponse(method, path, status, body));
    return body as nock.Body;
  }

  get repoPath() {
    return `/repos/${this.owner}/${this.repo}`;
  }

  token(times = 1) {
    const path = /\/app\/installations\/\d+\/access_tokens/;
    const body = { token: INSTALLATION_TOKEN, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { issues: "write" as const }, repository_selection: "all" as const };
    this.scope.post(path).times(times).reply(201, this.reply(201, "POST", "/app/installations/1/access_tokens", body));
    return this;
  }

  app(slug = "openjules") {
    const body = appBody(slug);
    this.scope.get("/app").reply(200, this.reply(200, "GET", "/app", body));
    return this;
  }

  /** `.github/jules.yml` of the repository (null: absent here and in the owner's .github repository). */
  config(yaml: string | null, times = 1) {
    const path = `${this.repoPath}/contents/.github%2Fjules.yml`;
    if (yaml === null) {
      const missing = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };
      this.scope.get(path).times(times).reply(404, this.reply(404, "GET", path, missing));
      this.scope.get(`/repos/${this.owner}/.github/contents/.github%2Fjules.yml`).times(times).reply(404, missing);
    } else {
      this.scope.get(path).times(times).reply(200, yaml, { "content-type": "application/vnd.github.raw; charset=utf-8" });
    }
    return this;
  }

  role(login: string, role: string, times = 1) {
    const path = `${this.repoPath}/collaborators/${login}/permission`;
    const permission = role === "maintain" || role === "write" ? "write" : role === "triage" ? "read" : role;
    const permissions = { admin: role === "admin", maintain: ["admin", "maintain"].includes(role), push: ["admin", "maintain", "write"].includes(role), triage: role !== "read" && role !== "none", pull: role !== "none" };
    const body = { permission, role_name: role, user: { ...user(login), permissions, role_name: role } };
    this.scope.get(path).times(times).reply(200, this.reply(200, "GET", path, body));
    return this;
  }

  reaction(commentId: number, content = "eyes") {
    const path = `${this.repoPath}/issues/comments/${commentId}/reactions`;
    const body = { id: nextId++, node_id: "R_1", user: user("openjules[bot]"), content, created_at: now() };
    this.scope.post(path, (b: { content?: string }) => b.content === content).reply(201, this.reply(201, "POST", path, body));
    return this;
  }

  /**
   * Answers `times` comment creations on `issue`, each with a fresh comment id.
   * (Replies are static: nock 15 hangs on function replies to fetch POSTs with a body.)
   */
  comments(issue: number, opts: { times?: number; status?: number; headers?: Record<string, string> } = {}) {
    const path = `${this.repoPath}/issues/${issue}/comments`;
    for (let i = 0; i < (opts.times ?? 1); i++) {
      if (opts.status && opts.status >= 400) {
        const message = opts.status === 403 ? "You have exceeded a secondary rate limit." : "Server Error";
        this.scope.post(path).reply(opts.status, { message, documentation_url: "https://docs.github.com/rest" }, opts.headers ?? {});
      } else {
        this.scope.post(path).reply(201, this.reply(201, "POST", path, commentBody(this.owner, this.repo, issue, nextId++, "(posted)")));
      }
    }
    return this;
  }

  /** Answers `times` edits of comments. */
  edits(times = 1) {
    const path = new RegExp(`^${this.repoPath}/issues/comments/\\d+$`);
    for (let i = 0; i < times; i++) {
      this.scope.patch(path).reply(200, this.reply(200, "PATCH", `${this.repoPath}/issues/comments/1`, commentBody(this.owner, this.repo, 1, 1, "(edited)")));
    }
    return this;
  }

  /** Answers any number of comment edits (the status comment is edited as often as the task moves). */
  anyEdits() {
    const path = new RegExp(`^${this.repoPath}/issues/comments/\\d+$`);
    this.editScope.patch(path).reply(200, this.reply(200, "PATCH", `${this.repoPath}/issues/comments/1`, commentBody(this.owner, this.repo, 1, 1, "(edited)")));
    return this;
  }

  issue(number: number, fields: { title?: string; body?: string } = {}, times = 1) {
    const path = `${this.repoPath}/issues/${number}`;
    const body = issueBody(this.owner, this.repo, number, fields.title ?? "Spelling error in the README file", fields.body ?? "It looks like you accidently spelled 'commit' with two 't's.");
    this.scope.get(path).times(times).reply(200, this.reply(200, "GET", path, body));
    return this;
  }

  threadComments(number: number, list: { author: string; body: string; createdAt?: string }[] = [], times = 1) {
    const path = `${this.repoPath}/issues/${number}/comments`;
    const body = list.map((c) => ({ ...commentBody(this.owner, this.repo, number, nextId++, c.body), user: user(c.author), created_at: c.createdAt ?? "2020-01-01T00:00:00Z" }));
    this.scope.get(path).query(true).times(times).reply(200, this.reply(200, "GET", path, body));
    return this;
  }

  /** Bodies of the comments posted (POST) so far, oldest first. */
  posted(): string[] {
    return this.requests.filter((r) => r.method === "POST" && /\/issues\/\d+\/comments$/.test(r.path)).map((r) => (r.body as { body: string }).body);
  }

  edited(): string[] {
    return this.requests.filter((r) => r.method === "PATCH").map((r) => (r.body as { body: string }).body);
  }

  assertClean() {
    assert.deepEqual(this.violations, [], "requests or answers that GitHub's OpenAPI description does not allow");
    assert.deepEqual([...this.scope.pendingMocks(), ...this.editScope.pendingMocks()], [], "GitHub mocks that were never called");
  }

  static reset() {
    nock.cleanAll();
    nock.enableNetConnect();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function user(login: string) {
  const bot = login.endsWith("[bot]");
  const api = `https://api.github.com/users/${encodeURIComponent(login)}`;
  return {
    login, id: 21031067, node_id: "MDQ6VXNlcjIxMDMxMDY3", avatar_url: "https://avatars1.githubusercontent.com/u/21031067?v=4", gravatar_id: "",
    url: api, html_url: `https://github.com/${encodeURIComponent(login)}`, followers_url: `${api}/followers`, following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`, starred_url: `${api}/starred{/owner}{/repo}`, subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`, repos_url: `${api}/repos`, events_url: `${api}/events{/privacy}`, received_events_url: `${api}/received_events`,
    type: bot ? "Bot" : "User", site_admin: false,
  };
}

function commentBody(owner: string, repo: string, issue: number, id: number, body: string) {
  return {
    id, node_id: "IC_1", url: `${API}/repos/${owner}/${repo}/issues/comments/${id}`,
    html_url: `https://github.com/${owner}/${repo}/issues/${issue}#issuecomment-${id}`, body, user: user("openjules[bot]"),
    created_at: now(), updated_at: now(), issue_url: `${API}/repos/${owner}/${repo}/issues/${issue}`, author_association: "NONE" as const,
  };
}

function issueBody(owner: string, repo: string, number: number, title: string, body: string) {
  return {
    id: 444500041, node_id: "MDU6SXNzdWU0NDQ1MDAwNDE=", url: `${API}/repos/${owner}/${repo}/issues/${number}`,
    repository_url: `${API}/repos/${owner}/${repo}`, labels_url: `${API}/repos/${owner}/${repo}/issues/${number}/labels{/name}`,
    comments_url: `${API}/repos/${owner}/${repo}/issues/${number}/comments`, events_url: `${API}/repos/${owner}/${repo}/issues/${number}/events`, html_url: `https://github.com/${owner}/${repo}/issues/${number}`,
    number, state: "open", title, body, user: user(owner), labels: [], assignee: null, assignees: [], milestone: null, locked: false,
    comments: 0, created_at: "2019-05-15T15:20:18Z", updated_at: "2019-05-15T15:20:18Z", closed_at: null, author_association: "OWNER" as const,
  };
}

function appBody(slug: string) {
  return {
    id: 1, slug, node_id: "MDExOkludGVncmF0aW9uMQ==", owner: user("Codertocat"), name: "OpenJules", description: "", external_url: "https://example.com",
    html_url: `https://github.com/apps/${slug}`, created_at: "2019-05-15T15:20:18Z", updated_at: "2019-05-15T15:20:18Z", permissions: { issues: "write" }, events: ["issue_comment"],
  };
}
