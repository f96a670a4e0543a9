import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitEnv } from "../../src/workspace/git.ts";
import { createBareRepo, type CommitSpec } from "./git/repo.ts";

/**
 * A real git smart-HTTP server on 127.0.0.1: node:http in front of
 * `git http-backend` (CGI), as GitHub serves clones. Every request, fetch or
 * push, must carry `Authorization: Basic base64(x-access-token:<token>)` with
 * a token from `validTokens` (401 without credentials, 403 with a wrong
 * token). Requests are recorded with the token used, so tests can assert what
 * was sent and how often the server was asked.
 */

export const HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

export interface RecordedRequest {
  method: string;
  path: string;
  service: "git-upload-pack" | "git-receive-pack" | null;
  token: string | null;
  status: number;
  /** Protocol v2 command of a POST (`ls-refs`, `fetch`), or null. */
  command: string | null;
}

export interface GitServer {
  url: string;
  root: string;
  validTokens: Set<string>;
  requests: RecordedRequest[];
  repoUrl(owner: string, repo: string): string;
  /** Path of the bare repository on disk (for assertions and direct setup). */
  repoPath(owner: string, repo: string): string;
  createRepo(owner: string, repo: string, commits: Iterable<CommitSpec>): Promise<string>;
  close(): Promise<void>;
}

function tokenOf(req: IncomingMessage): string | null {
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  return decoded.startsWith("x-access-token:") ? decoded.slice("x-access-token:".length) : null;
}

function serviceOf(url: URL): RecordedRequest["service"] {
  const name = url.searchParams.get("service") ?? url.pathname.split("/").pop();
  return name === "git-upload-pack" || name === "git-receive-pack" ? name : null;
}

/** The protocol v2 `command=` of a request body (gzip-compressed by git for big requests). */
function commandOf(body: Buffer, encoding: string | undefined): string | null {
  let text: string;
  try {
    text = (encoding === "gzip" ? gunzipSync(body) : body).toString("latin1");
  } catch {
    return null;
  }
  return /^[0-9a-f]{4}command=([a-z-]+)/.exec(text)?.[1] ?? null;
}

function cgi(root: string, req: IncomingMessage, body: Buffer, res: ServerResponse, url: URL, done: (status: number) => void): void {
  const env: Record<string, string> = {
    ...gitEnv(),
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ""),
    REQUEST_METHOD: req.method ?? "GET",
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    REMOTE_USER: "x-access-token",
    REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    SERVER_PROTOCOL: "HTTP/1.1",
    GATEWAY_INTERFACE: "CGI/1.1",
  };
  if (req.headers["content-length"]) env.CONTENT_LENGTH = req.headers["content-length"];
  if (req.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = req.headers["content-encoding"];
  const protocol = req.headers["git-protocol"];
  if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;
  const child = spawn(HTTP_BACKEND, [], { env, stdio: ["pipe", "pipe", "ignore"] });
  child.stdin.on("error", () => {});
  child.stdin.end(body);
  let head = Buffer.alloc(0);
  let started = false;
  let status = 200;
  child.stdout.on("data", (chunk: Buffer) => {
    if (started) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    for (const line of head.subarray(0, end).toString().split("\r\n")) {
      const [name, ...rest] = line.split(":");
      const value = rest.join(":").trim();
      if (!name) continue;
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    started = true;
    res.write(head.subarray(end + 4));
  });
  child.on("close", () => {
    if (!started) res.writeHead(500);
    res.end();
    done(started ? status : 500);
  });
}

export async function startGitServer(options: { tokens?: string[] } = {}): Promise<GitServer> {
  const root = await mkdtemp(join(tmpdir(), "openjules-git-server-"));
  const validTokens = new Set(options.tokens ?? ["test-token"]);
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const token = tokenOf(req);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const command = req.method === "POST" ? commandOf(body, req.headers["content-encoding"]) : null;
    const record = (status: number) => requests.push({ method: req.method ?? "GET", path: url.pathname, service: serviceOf(url), token, status, command });
    if (token === null || !validTokens.has(token)) {
      const status = token === null ? 401 : 403;
      record(status);
      if (status === 401) res.setHeader("WWW-Authenticate", 'Basic realm="openjules-test"');
      res.writeHead(status, { "Content-Type": "text/plain" }).end(status === 401 ? "Authentication required\n" : "Invalid token\n");
      return;
    }
    cgi(root, req, body, res, url, record);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const repoPath = (owner: string, repo: string) => join(root, owner, `${repo}.git`);
  return {
    url,
    root,
    validTokens,
    requests,
    repoUrl: (owner, repo) => `${url}/${owner}/${repo}.git`,
    repoPath,
    async createRepo(owner, repo, commits) {
      await createBareRepo(repoPath(owner, repo), commits);
      return `${url}/${owner}/${repo}.git`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
