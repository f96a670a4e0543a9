/**
 * A stateful stand-in for GitHub's REST API on 127.0.0.1, for tests and
 * benchmarks that run OpenJules as separate processes (where nock cannot
 * reach): everything one task needs from `/jules` to a pull request, with
 * paths in GitHub Enterprise form (`/api/v3/...`, reached through GHE_HOST
 * and GHE_PROTOCOL=http). It keeps what was written (comments, pull requests,
 * check runs) so later reads see it, as on GitHub: the thread lists the
 * comments posted to it, a second pull request for the same head is refused
 * with GitHub's 422. Answers are built with github-mock.ts's builders
 * (GitHub's real shapes), every request is recorded, and unless turned off
 * each request and JSON answer is checked against GitHub's OpenAPI
 * description; problems land in `violations`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { issueCommentId } from "./github-clock.ts";
import { appBody, commentBody, example, INSTALLATION_TOKEN, issueBody, pullBody, user } from "./github-mock.ts";
import { checkRequest, checkResponse } from "./openapi.ts";
import { errorMessage } from "../../src/domain/error-message.ts";

export interface StandinRequest {
  method: string;
  /** Path without `/api/v3`, with the query string. */
  path: string;
  body: unknown;
  status: number;
}

export interface StandinComment {
  id: number;
  owner: string;
  repo: string;
  issue: number;
  body: string;
}

export interface StandinPull {
  number: number;
  owner: string;
  repo: string;
  head: string;
  base: string;
  draft: boolean;
  body: string;
}

export interface StandinOptions {
  /** The installation token handed out (the test git server must accept it). */
  token?: string;
  slug?: string;
  /** `.github/jules.yml` by `owner/repo`; absent repositories answer 404. */
  configs?: Record<string, string>;
  /** Role of each login on every repository; unknown logins are "write". */
  roles?: Record<string, string>;
  /** Check requests and answers against GitHub's OpenAPI description (default true; benchmarks turn it off). */
  validate?: boolean;
  /** More of GitHub, asked first (GitHub's OAuth web flow and the signed-in user's endpoints: github-oauth.ts). */
  extensions?: StandinExtension[];
}

/** A part of GitHub served beside the stand-in's routes; it checks its own requests, and records problems in `violations`. */
export interface StandinExtension {
  /** The answer to a request it serves (`drop`: the connection is cut, as when GitHub is unreachable), or null for one it does not. */
  answer(
    request: { method: string; url: URL; headers: IncomingHttpHeaders; text: string },
    violations: string[],
  ): { status: number; headers?: Record<string, string>; body: string } | { drop: true } | null;
}

export interface GitHubStandin {
  /** `127.0.0.1:<port>`: the GHE_HOST setting. */
  host: string;
  baseUrl: string;
  requests: StandinRequest[];
  violations: string[];
  comments: StandinComment[];
  pulls: StandinPull[];
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown; raw?: string };
type Route = [method: string, pattern: RegExp, answer: (m: string[], body: any, url: URL) => Answer];

const NOT_FOUND: Answer = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
const idOf = (login: string) => 100_000 + [...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 9_000_000, 7);
const R = "/repos/([^/]+)/([^/]+)";

export async function startGitHubStandin(options: StandinOptions = {}): Promise<GitHubStandin> {
  const slug = options.slug ?? "openjules";
  const validate = options.validate ?? true;
  const requests: StandinRequest[] = [];
  const violations: string[] = [];
  const comments: StandinComment[] = [];
  const pulls: StandinPull[] = [];
  let nextId = 7_000_000;
  let nextPull = 1_000;

  const pullJson = (p: StandinPull, kind: "pull-request" | "pull-request-simple-items") =>
    pullBody(p.owner, p.repo, { number: p.number, head: p.head, base: p.base, draft: p.draft }, kind);
  const userJson = (login: string) => ({ ...example<Record<string, unknown>>("public-user-default-response"), ...user(login), id: idOf(login) });
  const role = (login: string) => {
    const name = options.roles?.[login] ?? "write";
    return {
      permission: ["maintain", "write"].includes(name) ? "write" : name === "triage" ? "read" : name,
      role_name: name,
      user: {
        ...user(login),
        permissions: {
          admin: name === "admin",
          maintain: ["admin", "maintain"].includes(name),
          push: ["admin", "maintain", "write"].includes(name),
          triage: !["read", "none"].includes(name),
          pull: name !== "none",
        },
        role_name: name,
      },
    };
  };

  const routes: Route[] = [
    [
      "POST",
      /^\/app\/installations\/\d+\/access_tokens$/,
      () => ({
        status: 201,
        body: {
          token: options.token ?? INSTALLATION_TOKEN,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          permissions: { issues: "write", contents: "write", pull_requests: "write", checks: "write" },
          repository_selection: "all",
        },
      }),
    ],
    ["GET", /^\/app$/, () => ({ status: 200, body: appBody(slug) })],
    ["GET", /^\/users\/([^/]+)$/, ([login]) => ({ status: 200, body: userJson(decodeURIComponent(login!)) })],
    [
      "GET",
      new RegExp(`^${R}/contents/(.+)$`),
      ([o, r, path]) => {
        const yaml = decodeURIComponent(path!) === ".github/jules.yml" ? options.configs?.[`${o}/${r}`] : undefined;
        return yaml === undefined ? NOT_FOUND : { status: 200, body: undefined, raw: yaml };
      },
    ],
    [
      "POST",
      new RegExp(`^${R}/(issues|pulls)/comments/\\d+/reactions$`),
      (_m, body) => ({ status: 201, body: { id: nextId++, node_id: "REA_1", user: user(`${slug}[bot]`), content: body?.content ?? "eyes", created_at: new Date().toISOString() } }),
    ],
    ["GET", new RegExp(`^${R}/collaborators/([^/]+)/permission$`), ([, , login]) => ({ status: 200, body: role(decodeURIComponent(login!)) })],
    [
      "GET",
      new RegExp(`^${R}/issues/(\\d+)$`),
      ([o, r, n]) => ({ status: 200, body: issueBody(o!, r!, Number(n), `Issue ${n}`, `The value in src/value.txt should be 42 (issue ${n}).`) }),
    ],
    [
      "GET",
      new RegExp(`^${R}/issues/(\\d+)/comments$`),
      ([o, r, n]) => ({ status: 200, body: comments.filter((c) => c.owner === o && c.repo === r && c.issue === Number(n)).map((c) => commentBody(o!, r!, c.issue, c.id, c.body)) }),
    ],
    [
      "POST",
      new RegExp(`^${R}/issues/(\\d+)/comments$`),
      ([o, r, n], body) => {
        const comment = { id: issueCommentId(), owner: o!, repo: r!, issue: Number(n), body: String(body?.body ?? "") };
        comments.push(comment);
        return { status: 201, body: commentBody(o!, r!, comment.issue, comment.id, comment.body) };
      },
    ],
    [
      "PATCH",
      new RegExp(`^${R}/issues/comments/(\\d+)$`),
      ([o, r, id], body) => {
        const comment = comments.find((c) => c.id === Number(id) && c.owner === o && c.repo === r);
        if (!comment) return NOT_FOUND;
        comment.body = String(body?.body ?? "");
        return { status: 200, body: commentBody(o!, r!, comment.issue, comment.id, comment.body) };
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/pulls$`),
      ([o, r], _b, url) => {
        const head = url.searchParams.get("head");
        return {
          status: 200,
          body: pulls.filter((p) => p.owner === o && p.repo === r && (!head || head === `${o}:${p.head}`)).map((p) => pullJson(p, "pull-request-simple-items")),
        };
      },
    ],
    [
      "GET",
      new RegExp(`^${R}/pulls/(\\d+)$`),
      ([o, r, n]) => {
        const pull = pulls.find((p) => p.owner === o && p.repo === r && p.number === Number(n));
        return pull ? { status: 200, body: pullJson(pull, "pull-request") } : NOT_FOUND;
      },
    ],
    [
      "POST",
      new RegExp(`^${R}/pulls$`),
      ([o, r], body) => {
        const head = String(body?.head ?? "");
        if (pulls.some((p) => p.owner === o && p.repo === r && p.head === head)) {
          return {
            status: 422,
            body: {
              message: "Validation Failed",
              errors: [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${o}:${head}.` }],
              documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
            },
          };
        }
        const pull = { number: nextPull++, owner: o!, repo: r!, head, base: String(body?.base ?? "main"), draft: body?.draft === true, body: String(body?.body ?? "") };
        pulls.push(pull);
        return { status: 201, body: pullJson(pull, "pull-request") };
      },
    ],
    [
      "POST",
      new RegExp(`^${R}/pulls/(\\d+)/requested_reviewers$`),
      ([o, r, n]) => ({ status: 201, body: pullBody(o!, r!, { number: Number(n), head: "topic" }, "pull-request-simple-items") }),
    ],
    [
      "POST",
      new RegExp(`^${R}/issues/(\\d+)/labels$`),
      ([o, r], body) => ({
        status: 200,
        body: (body?.labels ?? []).map((name: string, i: number) => ({
          ...example<Record<string, unknown>>("label"),
          id: 208045946 + i,
          name,
          default: false,
          url: `https://api.github.com/repos/${o}/${r}/labels/${encodeURIComponent(name)}`,
        })),
      }),
    ],
    [
      "POST",
      new RegExp(`^${R}/check-runs$`),
      ([o, r]) => {
        const id = nextId++;
        return {
          status: 201,
          body: {
            ...example<Record<string, unknown>>("check-run"),
            id,
            name: "OpenJules tests",
            url: `https://api.github.com/repos/${o}/${r}/check-runs/${id}`,
            html_url: `https://github.com/${o}/${r}/runs/${id}`,
          },
        };
      },
    ],
  ];

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    for (const extension of options.extensions ?? []) {
      const given = extension.answer({ method, url, headers: req.headers, text }, violations);
      if (!given) continue;
      requests.push({ method, path: url.pathname.replace(/^\/api\/v3/, "") + url.search, body: text ? safeJson(text) : undefined, status: "drop" in given ? 0 : given.status });
      if ("drop" in given) return void req.socket.destroy();
      res.writeHead(given.status, given.headers);
      return void res.end(given.body);
    }
    const path = url.pathname.replace(/^\/api\/v3/, "");
    const body = text ? safeJson(text) : undefined;
    let answer: Answer | null = null;
    for (const [m, pattern, fn] of routes) {
      const match = m === method ? pattern.exec(path) : null;
      if (match) {
        answer = fn(match.slice(1), body, url);
        break;
      }
    }
    if (!answer) violations.push(`the stand-in does not serve ${method} ${path}`);
    const { status, body: json, raw } = answer ?? NOT_FOUND;
    requests.push({ method, path: path + url.search, body, status });
    if (validate) {
      violations.push(...checkRequest(method, path + url.search, body));
      if (raw === undefined && answer) violations.push(...checkResponse(method, path, status, json));
    }
    if (raw !== undefined) {
      res.writeHead(status, { "content-type": "application/vnd.github.raw; charset=utf-8" });
      return void res.end(raw);
    }
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(json));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString("utf8"));
      } catch (error) {
        violations.push(`the stand-in failed on ${req.method} ${req.url}: ${errorMessage(error)}`);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: "Server Error" }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    baseUrl: `http://${host}/api/v3`,
    requests,
    violations,
    comments,
    pulls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
