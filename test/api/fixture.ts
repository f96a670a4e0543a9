/**
 * The HTTP API over real HTTP: a node:http server with the webhook guard and
 * createApiHandler in front (as the web server has them), over the real
 * control plane of a real OpenJules process (test/tasks/control/harness.ts:
 * SQLite store with the in-process event feed, embedded queue with the
 * worker stopped, Probot against GitHub mocked with nock), an operator
 * token and a personal token file.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { PersonalTokens } from "../../src/access/personal-tokens.ts";
import { createAccountUseCases } from "../../src/accounts/use-cases.ts";
import { API_PATHS, createApiHandler } from "../../src/api/handler.ts";
import { guardWebhooks } from "../../src/github/webhook-guard.ts";
import { type Harness, type HarnessOptions, startHarness } from "../tasks/control/harness.ts";

export const OPERATOR = "operator-token-0123456789";
/** The sealing key (JULES_SECRET_KEY) of the fixture's provider keys. */
export const SECRET_KEY = Buffer.alloc(32, 5);

export interface ApiFixture {
  h: Harness;
  origin: string;
  tokenFile: string;
  errors: unknown[];
  request(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/** `allowUserKeys`: JULES_ALLOW_USER_KEYS (on by default here); `control`: the control plane's optional dependencies (startHarness). */
export async function apiFixture(
  options: { heartbeatMs?: number; bodyTimeoutMs?: number; shutdown?: AbortSignal; allowUserKeys?: boolean; control?: HarnessOptions["control"] } = {},
): Promise<ApiFixture> {
  const h = await startHarness(options.control ? { control: options.control } : {});
  const tokenFile = join(h.app.dataDir, "tokens.json");
  const errors: unknown[] = [];
  const tokens = new PersonalTokens(tokenFile);
  const accounts = createAccountUseCases({
    tokens,
    accounts: h.app.deps.store.accounts,
    repositories: (caller) => h.plane.repositories(caller),
    web: { allowUserKeys: options.allowUserKeys ?? true, secretKey: SECRET_KEY },
  });
  const handler = createApiHandler({
    control: h.plane,
    access: { operatorToken: OPERATOR, tokens },
    accounts,
    log: { error: (details) => errors.push(details) },
    heartbeatMs: options.heartbeatMs ?? 15_000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 10_000,
    ...(options.shutdown ? { shutdown: options.shutdown } : {}),
  });
  const inner = async (req: IncomingMessage, res: ServerResponse) => {
    if (!(await handler(req, res))) res.writeHead(404).end("not mine");
    return true;
  };
  const guarded = guardWebhooks(inner, "/api/github/webhooks", { secret: "s", bodyTimeoutMs: options.bodyTimeoutMs ?? 10_000, ownBodies: API_PATHS });
  const server: Server = createServer((req, res) => void guarded(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    h,
    origin,
    tokenFile,
    errors,
    request(path, init = {}) {
      const { token = OPERATOR, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null) headers.set("authorization", `Bearer ${token}`);
      return fetch(`${origin}${path}`, { ...rest, headers });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await h.close();
    },
  };
}

/** A problem+json answer, checked for its shape. */
export async function problemOf(res: Response): Promise<{ type: string; title: string; status: number; detail: string; errors?: { path: string; message: string }[] }> {
  if (!(res.headers.get("content-type") ?? "").startsWith("application/problem+json"))
    throw new Error(`not a problem: ${res.status} ${res.headers.get("content-type")} ${await res.text()}`);
  const body = (await res.json()) as { type: string; title: string; status: number; detail: string };
  if (body.status !== res.status) throw new Error(`problem status ${body.status} on a ${res.status}`);
  return body;
}

export const postJson = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
