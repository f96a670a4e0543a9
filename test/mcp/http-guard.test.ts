/**
 * What /mcp refuses before anything reaches the control plane: no token or a
 * wrong or revoked one (401, also through the SDK's own client), a browser
 * page's Origin and a foreign Host (403: DNS rebinding), GET (405: the
 * server is stateless), and paths it does not own (left to the next handler).
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addToken, PersonalTokens, revokeToken } from "../../src/access/personal-tokens.ts";
import { createMcpHttpHandler, loopbackHosts } from "../../src/mcp/http.ts";
import type { ControlPlane } from "../../src/tasks/control/port.ts";

const OPERATOR = "operator-token-for-mcp-guard-tests";
let dir: string;
let server: Server;
let base: string;
let revoked: string;
const answered: string[] = [];

/** No request in this file reaches the control plane: every one is refused before, which a call would show. */
const unreachable = new Proxy({} as ControlPlane, {
  get: (_target, name) => () => {
    answered.push(String(name));
    throw new Error(`the control plane was called (${String(name)}) for a request /mcp should refuse`);
  },
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-guard-"));
  const file = join(dir, "tokens.json");
  const { token, entry } = addToken(file, { login: "octocat", scopes: ["read", "write"], repositories: null });
  revokeToken(file, entry.id);
  revoked = token;
  const handler = createMcpHttpHandler({
    control: unreachable,
    dataDir: dir,
    access: { operatorToken: OPERATOR, tokens: new PersonalTokens(file) },
    allowedHosts: loopbackHosts("127.0.0.1") ?? [],
  });
  server = createServer((req, res) => {
    void handler(req, res).then((mine) => {
      if (!mine) res.writeHead(404).end("not mine");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
  expect(answered).toEqual([]);
});

const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } };
const post = (headers: Record<string, string>, path = "/mcp") =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(initialize),
  });

describe("/mcp refuses", () => {
  it("a request without a token, or with a wrong or revoked one, with 401 and what to do", async () => {
    for (const [headers, says] of [
      [{}, "no token"],
      [{ authorization: "Bearer not-the-token" }, "not valid on this server"],
      [{ authorization: `Bearer ${revoked}` }, "revoked"],
    ] as const) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="openjules"');
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(says);
    }
  });

  it("the SDK's client without a token: connect fails with the 401", async () => {
    const client = new Client({ name: "guard-test", version: "1.0.0" });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)))).rejects.toMatchObject({ code: 401, message: expect.stringContaining("no token") });
  });

  it("a browser page's Origin and a Host the server does not answer as, with 403, even with the operator token", async () => {
    const origin = await post({ authorization: `Bearer ${OPERATOR}`, origin: "https://evil.example" });
    expect(origin.status).toBe(403);
    expect(await origin.text()).toContain("https://evil.example are not allowed");
    // fetch sets Host itself; a rebinding page reaches the server with the attacker's name in it.
    const host = await new Promise<[number | undefined, string]>((resolve, reject) => {
      const req = request(
        `${base}/mcp`,
        { method: "POST", headers: { host: "attacker.example:8080", authorization: `Bearer ${OPERATOR}`, "content-type": "application/json" } },
        (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => (body += chunk.toString()));
          res.on("end", () => resolve([res.statusCode, body]));
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify(initialize));
    });
    expect(host[0]).toBe(403);
    expect(host[1]).toContain("host attacker.example:8080");
  });

  it("GET (there is no session stream) with 405 and Allow: POST", async () => {
    const res = await fetch(`${base}/mcp`, { headers: { authorization: `Bearer ${OPERATOR}`, accept: "text/event-stream" } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("nothing outside /mcp: other paths go to the next handler", async () => {
    for (const path of ["/mcpx", "/mcp/extra", "/api/v1/tasks"]) {
      const res = await post({ authorization: `Bearer ${OPERATOR}` }, path);
      expect([path, res.status, await res.text()]).toEqual([path, 404, "not mine"]);
    }
  });
});
