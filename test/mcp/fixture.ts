/**
 * The MCP server over Streamable HTTP as the web process serves it: a real
 * node:http server with createMcpHttpHandler in front of the real control
 * plane (createControlPlane over the test app's task pipeline, its SQLite
 * store notifying an in-process event feed, the installations through the
 * app's Probot), GitHub mocked at HTTP by GitHubMock (every request and
 * answer checked against GitHub's OpenAPI description). `connect(token)` is
 * the SDK's own client over StreamableHTTPClientTransport with that bearer.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import nock from "nock";
import { addToken, PersonalTokens } from "../../src/access/personal-tokens.ts";
import { createInProcessFeed } from "../../src/events/in-process.ts";
import { withEventFeed } from "../../src/events/with-event-feed.ts";
import { probotInstallations } from "../../src/github/installations.ts";
import { createMcpHttpHandler, loopbackHosts } from "../../src/mcp/http.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { createControlPlane } from "../../src/tasks/control/create-control-plane.ts";
import type { ControlPlane } from "../../src/tasks/control/port.ts";
import { example, GitHubMock, user } from "../helpers/github-mock.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

export const OPERATOR = "operator-token-for-the-mcp-tests";
/** wait_for_task's progress interval here (10 s in production). */
export const PROGRESS_MS = 200;

export interface McpFixture {
  app: TestApp;
  /** The store as the control plane has it (notifying the feed). */
  store: TaskStore;
  control: ControlPlane;
  github: GitHubMock;
  url: URL;
  /** Personal tokens: `reader` has the role read on the repository, `writer` the role write (GitHub tells, per call); `elsewhere` is writer's token for another repository only. */
  tokens: { reader: string; writer: string; elsewhere: string };
  connect(token: string): Promise<Client>;
  close(): Promise<void>;
}

export async function mcpFixture(): Promise<McpFixture> {
  const github = new GitHubMock();
  const app = await startTestApp({ startWorker: false });
  const feed = createInProcessFeed();
  const store = withEventFeed(app.store, feed);
  const control = createControlPlane({
    ...app.deps,
    store,
    feed,
    installations: probotInstallations(app.probot),
    allowedModels: [],
    caps: app.jules.settings.agent.caps,
    ownLogin: () => "openjules[bot]",
  });
  const tokenFile = join(app.dataDir, "tokens.json");
  const tokens = {
    reader: addToken(tokenFile, { login: "reader", scopes: ["read", "write"], repositories: null }).token,
    writer: addToken(tokenFile, { login: "writer", scopes: ["read", "write"], repositories: null }).token,
    elsewhere: addToken(tokenFile, { login: "writer", scopes: ["read", "write"], repositories: ["someone/else"] }).token,
  };
  const handler = createMcpHttpHandler({
    control,
    dataDir: app.dataDir,
    access: { operatorToken: OPERATOR, tokens: new PersonalTokens(tokenFile) },
    allowedHosts: loopbackHosts("127.0.0.1") ?? [],
    progressMs: PROGRESS_MS,
  });
  const server: Server = createServer((req, res) => {
    void handler(req, res).then((mine) => {
      if (!mine) res.writeHead(404).end("not mine");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  const clients: Client[] = [];
  return {
    app,
    store,
    control,
    github,
    url,
    tokens,
    async connect(token) {
      const client = new Client({ name: "mcp-http-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) await client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
      nock.cleanAll();
    },
  };
}

/** The mocked GitHub of one installation (id 1) holding the mock's repository, through the app's JWT and the installation token. */
export function installedRepository(github: GitHubMock, times = 1) {
  const { installation, repository } = installedBodies(github);
  const path = `${github.repoPath}/installation`;
  github.scope
    .get(path)
    .times(times)
    .reply(200, github.reply(200, "GET", path, installation));
  github.scope
    .get(github.repoPath)
    .times(times)
    .reply(200, github.reply(200, "GET", github.repoPath, repository));
  github.token(times);
}

function installedBodies(github: GitHubMock) {
  const base = example<Record<string, unknown> & { owner: Record<string, unknown> }>("full-repository");
  const repository = {
    ...base,
    owner: { ...base.owner, login: github.owner },
    name: github.repo,
    full_name: `${github.owner}/${github.repo}`,
    clone_url: `https://github.com/${github.owner}/${github.repo}.git`,
    default_branch: "main",
    private: false,
    has_discussions: false,
  };
  return { installation: installationBody(github), repository };
}

/** The app's installations as the mocked GitHub lists them: installation 1 with the mock's repository. */
export function listedInstallations(github: GitHubMock) {
  // GitHub's description of this list has `account` as allOf a user and an enterprise (its own example fails it); null passes, and the app does not read it.
  const installation = { ...installationBody(github), account: null };
  github.scope.get("/app/installations?per_page=100").reply(200, github.reply(200, "GET", "/app/installations?per_page=100", [installation]));
  github.token();
  const { repository } = installedBodies(github);
  const listed = { total_count: 1, repositories: [repository] };
  github.scope.get("/installation/repositories?per_page=100").reply(200, github.reply(200, "GET", "/installation/repositories?per_page=100", listed));
}

/** GitHub's example installation, as id 1 on the mock's owner. */
export function installationBody(github: GitHubMock) {
  return { ...example<Record<string, unknown>>("installation"), id: 1, account: user(github.owner) };
}

/** The text of a tool result, and that it is (or is not) an error. */
export function textOf(result: unknown): { text: string; isError: boolean } {
  const r = result as CallToolResult;
  return { text: (r.content[0] as { text: string }).text, isError: r.isError === true };
}

/** Calls a tool and parses its JSON answer; a tool error throws with its text. */
export async function callJson(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const { text, isError } = textOf(await client.callTool({ name, arguments: args }));
  if (isError) throw new Error(`${name} answered an error: ${text}`);
  return JSON.parse(text);
}
