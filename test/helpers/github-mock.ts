/**
 * GitHub's REST API mocked at the HTTP level with nock. Every request that
 * reaches the mock is checked against GitHub's OpenAPI description, and so is
 * every answer the mock gives; any violation or unmatched request fails the
 * test in `assertClean()`. Named helpers set up the endpoints OpenJules uses.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { RestEndpointMethodTypes } from "@octokit/rest";
import nock from "nock";
import { githubClock, issueCommentId } from "./github-clock.ts";
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
/** The answers' types are GitHub's own (@octokit/rest), so a field name or type here is checked by tsc as well as by the OpenAPI check. */
type Rest = RestEndpointMethodTypes;
type Data<G extends keyof Rest, M extends keyof Rest[G]> = Rest[G][M] extends { response: { data: infer D } } ? D : never;

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
    const body = {
      token: INSTALLATION_TOKEN,
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
      permissions: { issues: "write" as const },
      repository_selection: "all" as const,
    } satisfies Data<"apps", "createInstallationAccessToken">;
    this.scope
      .post(path)
      .times(times)
      .reply(201, this.reply(201, "POST", "/app/installations/1/access_tokens", body));
    return this;
  }

  app(slug = "openjules") {
    const body = appBody(slug);
    this.scope.get("/app").reply(200, this.reply(200, "GET", "/app", body));
    return this;
  }

  /** The app's identity, read once per process before the first commit: GET /app and its bot user. */
  identity(slug = "openjules") {
    this.app(slug);
    const login = `${slug}[bot]`;
    const path = `/users/${encodeURIComponent(login)}`;
    const body = {
      ...user(login),
      id: 41898282,
      name: null,
      company: null,
      blog: "",
      location: null,
      email: null,
      hireable: null,
      bio: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: "2019-01-01T00:00:00Z",
      updated_at: "2019-01-01T00:00:00Z",
    } satisfies Data<"users", "getByUsername">;
    this.scope.get(path).reply(200, this.reply(200, "GET", path, body));
    return this;
  }

  /** `.github/jules.yml` of the repository (null: absent here and in the owner's .github repository). */
  config(yaml: string | null, times = 1) {
    const path = `${this.repoPath}/contents/.github%2Fjules.yml`;
    if (yaml === null) {
      const missing = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };
      this.scope
        .get(path)
        .times(times)
        .reply(404, this.reply(404, "GET", path, missing));
      this.scope.get(`/repos/${this.owner}/.github/contents/.github%2Fjules.yml`).times(times).reply(404, missing);
    } else {
      this.scope.get(path).times(times).reply(200, yaml, { "content-type": "application/vnd.github.raw; charset=utf-8" });
    }
    return this;
  }

  role(login: string, role: string, times = 1) {
    const path = `${this.repoPath}/collaborators/${login}/permission`;
    const permission = role === "maintain" || role === "write" ? "write" : role === "triage" ? "read" : role;
    const permissions = {
      admin: role === "admin",
      maintain: ["admin", "maintain"].includes(role),
      push: ["admin", "maintain", "write"].includes(role),
      triage: role !== "read" && role !== "none",
      pull: role !== "none",
    };
    const body = { permission, role_name: role, user: { ...user(login), permissions, role_name: role } } satisfies Data<"repos", "getCollaboratorPermissionLevel">;
    this.scope
      .get(path)
      .times(times)
      .reply(200, this.reply(200, "GET", path, body));
    return this;
  }

  /** 👀 on a comment on a pull request's diff. */
  reviewReaction(commentId: number, content: Reaction = "eyes") {
    const path = `${this.repoPath}/pulls/comments/${commentId}/reactions`;
    const body = { id: nextId++, node_id: "R_2", user: user("openjules[bot]"), content, created_at: now() } satisfies Data<"reactions", "createForPullRequestReviewComment">;
    this.scope.post(path, (b: { content?: string }) => b.content === content).reply(201, this.reply(201, "POST", path, body));
    return this;
  }

  reaction(commentId: number, content: Reaction = "eyes") {
    const path = `${this.repoPath}/issues/comments/${commentId}/reactions`;
    const body = { id: nextId++, node_id: "R_1", user: user("openjules[bot]"), content, created_at: now() } satisfies Data<"reactions", "createForIssueComment">;
    this.scope.post(path, (b: { content?: string }) => b.content === content).reply(201, this.reply(201, "POST", path, body));
    return this;
  }

  /**
   * Answers `times` comment creations on `issue`, each with a fresh comment id.
   * Replies are static bodies, each checked once against the OpenAPI description.
   */
  comments(issue: number, opts: { times?: number; status?: number; headers?: Record<string, string>; createdAt?: string } = {}) {
    const path = `${this.repoPath}/issues/${issue}/comments`;
    for (let i = 0; i < (opts.times ?? 1); i++) {
      if (opts.status && opts.status >= 400) {
        const message = opts.status === 403 ? "You have exceeded a secondary rate limit." : "Server Error";
        this.scope.post(path).reply(opts.status, { message, documentation_url: "https://docs.github.com/rest" }, opts.headers ?? {});
      } else {
        this.scope.post(path).reply(
          201,
          this.reply(201, "POST", path, {
            ...commentBody(this.owner, this.repo, issue, issueCommentId(), "(posted)"),
            ...(opts.createdAt ? { created_at: opts.createdAt } : {}),
          }),
        );
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
    const body = issueBody(
      this.owner,
      this.repo,
      number,
      fields.title ?? "Spelling error in the README file",
      fields.body ?? "It looks like you accidently spelled 'commit' with two 't's.",
    );
    this.scope
      .get(path)
      .times(times)
      .reply(200, this.reply(200, "GET", path, body));
    return this;
  }

  threadComments(number: number, list: { author: string; body: string; createdAt?: string }[] = [], times = 1) {
    const path = `${this.repoPath}/issues/${number}/comments`;
    const body = list.map((c) => ({
      ...commentBody(this.owner, this.repo, number, issueCommentId(), c.body),
      user: user(c.author),
      created_at: c.createdAt ?? "2020-01-01T00:00:00Z",
    })) satisfies Data<"issues", "listComments">;
    this.scope
      .get(path)
      .query(true)
      .times(times)
      .reply(200, this.reply(200, "GET", path, body));
    return this;
  }

  /** GET /users/{login}: the user with this id, or 404 when `id` is null. */
  userLookup(login: string, id: number | null) {
    const path = `/users/${encodeURIComponent(login)}`;
    if (id === null) {
      const missing = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };
      this.scope.get(path).reply(404, this.reply(404, "GET", path, missing));
    } else {
      const body = { ...example<Data<"users", "getByUsername">>("public-user-default-response"), ...user(login), id } satisfies Data<"users", "getByUsername">;
      this.scope.get(path).reply(200, this.reply(200, "GET", path, body));
    }
    return this;
  }

  /** GET /repos/{o}/{r}/pulls?state=open&head={owner}:{branch}: the open pull request for the branch, or none. */
  openPulls(branch: string, found: PullFields | null = null, times = 1) {
    const path = `${this.repoPath}/pulls`;
    const body = found ? [pullBody(this.owner, this.repo, { ...found, head: found.head ?? branch }, "pull-request-simple-items")] : [];
    this.scope
      .get(path)
      .query((q) => q.state === "open" && q.head === `${this.owner}:${branch}` && Object.keys(q).every((k) => ["state", "head", "per_page", "page"].includes(k)))
      .times(times)
      .reply(200, this.reply(200, "GET", path, body));
    return this;
  }

  /** POST /repos/{o}/{r}/pulls: the new pull request; `conflict` answers 422 "A pull request already exists". */
  createPull(fields: PullFields & { head: string }, opts: { conflict?: boolean } = {}) {
    const path = `${this.repoPath}/pulls`;
    if (opts.conflict) {
      const body = {
        message: "Validation Failed",
        errors: [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${this.owner}:${fields.head}.` }],
        documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
      };
      this.scope.post(path).reply(422, this.reply(422, "POST", path, body));
    } else {
      this.scope.post(path).reply(201, this.reply(201, "POST", path, pullBody(this.owner, this.repo, fields, "pull-request")));
    }
    return this;
  }

  /** GET /repos/{o}/{r}/pulls/{n}. */
  pull(fields: PullFields & { head: string }) {
    const path = `${this.repoPath}/pulls/${fields.number}`;
    this.scope.get(path).reply(200, this.reply(200, "GET", path, pullBody(this.owner, this.repo, fields, "pull-request")));
    return this;
  }

  /** POST /repos/{o}/{r}/pulls/{n}/requested_reviewers; 422 is GitHub's "not a collaborator" refusal. */
  reviewRequest(number: number, status: 201 | 422 = 201) {
    const path = `${this.repoPath}/pulls/${number}/requested_reviewers`;
    if (status === 422) {
      const body = {
        message: "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository.",
        documentation_url: "https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request",
      };
      this.scope.post(path).reply(422, this.reply(422, "POST", path, body));
    } else {
      const body = pullBody(this.owner, this.repo, { number, head: "topic" }, "pull-request-simple-items");
      this.scope.post(path).reply(201, this.reply(201, "POST", path, body));
    }
    return this;
  }

  /** POST /repos/{o}/{r}/issues/{n}/labels: the labels now on the issue or pull request. */
  labels(number: number, names: string[]) {
    const path = `${this.repoPath}/issues/${number}/labels`;
    const body = names.map((name, i) => ({
      ...example<Data<"issues", "getLabel">>("label"),
      id: 208045946 + i,
      name,
      url: `${API}${this.repoPath}/labels/${encodeURIComponent(name)}`,
      default: false,
    })) satisfies Data<"issues", "addLabels">;
    this.scope.post(path).reply(200, this.reply(200, "POST", path, body));
    return this;
  }

  /** POST /repos/{o}/{r}/check-runs: the created check run. */
  checkRun(id = 4) {
    const path = `${this.repoPath}/check-runs`;
    const body = {
      ...example<Data<"checks", "create">>("check-run"),
      id,
      name: "OpenJules tests",
      url: `${API}${this.repoPath}/check-runs/${id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/runs/${id}`,
    } satisfies Data<"checks", "create">;
    this.scope.post(path).reply(201, this.reply(201, "POST", path, body));
    return this;
  }

  /** JSON bodies of the requests sent so far with this method to a path matching `path`, oldest first. */
  bodies<T = Record<string, unknown>>(method: string, path: RegExp): T[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path.split("?")[0]!)).map((r) => r.body as T);
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

type SimpleUser = NonNullable<Data<"issues", "createComment">["user"]>;
type Reaction = Rest["reactions"]["createForIssueComment"]["parameters"]["content"];

export function user(login: string) {
  const bot = login.endsWith("[bot]");
  const api = `https://api.github.com/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: 21031067,
    node_id: "MDQ6VXNlcjIxMDMxMDY3",
    avatar_url: "https://avatars1.githubusercontent.com/u/21031067?v=4",
    gravatar_id: "",
    url: api,
    html_url: `https://github.com/${encodeURIComponent(login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: bot ? "Bot" : "User",
    site_admin: false,
  } satisfies SimpleUser;
}

export function commentBody(owner: string, repo: string, issue: number, id: number, body: string) {
  return {
    id,
    node_id: "IC_1",
    url: `${API}/repos/${owner}/${repo}/issues/comments/${id}`,
    html_url: `https://github.com/${owner}/${repo}/issues/${issue}#issuecomment-${id}`,
    body,
    user: user("openjules[bot]"),
    created_at: githubClock.now(),
    updated_at: githubClock.now(),
    issue_url: `${API}/repos/${owner}/${repo}/issues/${issue}`,
    author_association: "NONE" as const,
  } satisfies Data<"issues", "createComment">;
}

export function issueBody(owner: string, repo: string, number: number, title: string, body: string) {
  return {
    id: 444500041,
    node_id: "MDU6SXNzdWU0NDQ1MDAwNDE=",
    url: `${API}/repos/${owner}/${repo}/issues/${number}`,
    repository_url: `${API}/repos/${owner}/${repo}`,
    labels_url: `${API}/repos/${owner}/${repo}/issues/${number}/labels{/name}`,
    comments_url: `${API}/repos/${owner}/${repo}/issues/${number}/comments`,
    events_url: `${API}/repos/${owner}/${repo}/issues/${number}/events`,
    html_url: `https://github.com/${owner}/${repo}/issues/${number}`,
    number,
    state: "open",
    title,
    body,
    user: user(owner),
    labels: [],
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: 0,
    created_at: "2019-05-15T15:20:18Z",
    updated_at: "2019-05-15T15:20:18Z",
    closed_at: null,
    author_association: "OWNER" as const,
  } satisfies Data<"issues", "get">;
}

export function appBody(slug: string) {
  return {
    id: 1,
    slug,
    node_id: "MDExOkludGVncmF0aW9uMQ==",
    owner: user("Codertocat"),
    name: "OpenJules",
    description: "",
    external_url: "https://example.com",
    html_url: `https://github.com/apps/${slug}`,
    created_at: "2019-05-15T15:20:18Z",
    updated_at: "2019-05-15T15:20:18Z",
    permissions: { issues: "write" },
    events: ["issue_comment"],
  } satisfies Data<"apps", "getAuthenticated">;
}

/** GitHub's own response examples from the OpenAPI description (a fresh copy each time). */
const require = createRequire(import.meta.url);
let examples: Record<string, { value: unknown }> | null = null;
export function example<T>(name: string): T {
  examples ??= (
    JSON.parse(readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8")) as { components: { examples: Record<string, { value: unknown }> } }
  ).components.examples;
  const found = examples[name];
  if (!found) throw new Error(`no example named ${name} in GitHub's OpenAPI description`);
  return structuredClone(found.value) as T;
}

export interface PullFields {
  number: number;
  /** Head branch (defaults to the branch asked for, in `openPulls`). */
  head?: string;
  base?: string;
  draft?: boolean;
  state?: "open" | "closed";
  merged?: boolean;
  /** Who opened it; the app's bot by default. */
  author?: string;
  /** `owner/repo` of the head; this repository by default (GitHub's description has no null head repository). */
  headRepo?: string;
  headSha?: string;
  title?: string;
}

type FullPull = Data<"pulls", "get">;
type PullItem = Data<"pulls", "list">[number];
type PullRepo = PullItem["base"]["repo"];

function rewriteRepo(repo: PullRepo, fullName: string): PullRepo {
  const [owner = "", name = ""] = fullName.split("/");
  return { ...repo, name, full_name: fullName, html_url: `https://github.com/${fullName}`, url: `${API}/repos/${fullName}`, owner: { ...repo.owner, ...user(owner) } };
}

/** GitHub's pull request example (full or list item) rewritten to the given fields. */
export function pullBody(owner: string, repo: string, f: PullFields, kind: "pull-request" | "pull-request-simple-items"): FullPull | PullItem {
  if (kind === "pull-request") return { ...rewritePull(example<FullPull>("pull-request"), owner, repo, f), merged: f.merged === true } satisfies FullPull;
  return rewritePull(example<PullItem[]>("pull-request-simple-items")[0]!, owner, repo, f);
}

function rewritePull<P extends FullPull | PullItem>(pull: P, owner: string, repo: string, f: PullFields): P {
  const head = f.head ?? "topic";
  const closed = f.merged === true || f.state === "closed";
  const changes = {
    number: f.number,
    id: 1_000_000 + f.number,
    url: `${API}/repos/${owner}/${repo}/pulls/${f.number}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${f.number}`,
    state: closed ? "closed" : "open",
    title: f.title ?? pull.title,
    draft: f.draft ?? false,
    user: user(f.author ?? "openjules[bot]"),
    merged_at: f.merged === true ? "2024-01-02T00:00:00Z" : null,
    closed_at: closed ? "2024-01-02T00:00:00Z" : null,
    requested_teams: [],
  } satisfies Partial<FullPull> & Partial<PullItem>;
  const headChanges = {
    ref: head,
    label: `${owner}:${head}`,
    sha: f.headSha ?? pull.head.sha,
    repo: rewriteRepo(pull.head.repo, f.headRepo ?? `${owner}/${repo}`),
  } satisfies Partial<FullPull["head"]> & Partial<PullItem["head"]>;
  const baseChanges = { ref: f.base ?? "main", label: `${owner}:${f.base ?? "main"}`, repo: rewriteRepo(pull.base.repo, `${owner}/${repo}`) } satisfies Partial<FullPull["base"]> &
    Partial<PullItem["base"]>;
  return { ...pull, ...changes, head: { ...pull.head, ...headChanges }, base: { ...pull.base, ...baseChanges } };
}
