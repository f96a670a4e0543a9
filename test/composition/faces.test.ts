/**
 * The faces of the control plane as the composition root serves them: a
 * web process started by createOpenJules answers /api/v1 (its OpenAPI
 * document, the task list with the operator token, a POST body that reaches
 * the API past the webhook guard) and /mcp (bearer token required), and a
 * process with no token configured answers both with 404 and how to turn
 * them on.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenJules, type OpenJules } from "../../src/composition/open-jules.ts";
import { loadSettings } from "../../src/settings.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { freePort } from "../helpers/web-server.ts";

const TOKEN = "operator-token-for-faces-1234";
let dataRoot: string;
beforeAll(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), "jules-faces-"));
});
afterAll(() => rm(dataRoot, { recursive: true, force: true }));

async function startWeb(name: string, extra: Record<string, string>): Promise<{ jules: OpenJules; base: string }> {
  const settings = loadSettings({
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: "faces-secret",
    JULES_DATA_DIR: join(dataRoot, name),
    HOST: "127.0.0.1",
    PORT: String(await freePort()),
    GHE_HOST: "127.0.0.1:9",
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "silent",
    ...extra,
  });
  const jules = await createOpenJules(settings);
  await jules.start("web");
  return { jules, base: `http://127.0.0.1:${jules.port}` };
}

describe("the faces served by a web process", () => {
  let web: { jules: OpenJules; base: string };
  beforeAll(async () => {
    web = await startWeb("on", { JULES_API_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await web.jules.stop(1000);
  });
  const auth = { authorization: `Bearer ${TOKEN}` };

  it("serves the OpenAPI document without a token", async () => {
    const res = await fetch(`${web.base}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toContain("/api/v1/tasks");
  });

  it("lists tasks for the operator and refuses a request without a token", async () => {
    const listed = await fetch(`${web.base}/api/v1/tasks`, { headers: auth });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { tasks: unknown[] }).tasks).toEqual([]);
    const anonymous = await fetch(`${web.base}/api/v1/tasks`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toMatch(/application\/problem\+json/);
  });

  it("lets a POST body reach the API past the webhook guard (a bad body is the API's 400, not the guard's 413)", async () => {
    const res = await fetch(`${web.base}/api/v1/tasks`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ nonsense: true }) });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { status: number; detail: string };
    expect(problem.status).toBe(400);
    expect(problem.detail.length).toBeGreaterThan(0);
  });

  it("serves MCP at /mcp behind the bearer token", async () => {
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const anonymous = await fetch(`${web.base}/mcp`, { method: "POST", headers, body: JSON.stringify(init) });
    expect(anonymous.status).toBe(401);
    const res = await fetch(`${web.base}/mcp`, { method: "POST", headers: { ...headers, ...auth }, body: JSON.stringify(init) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("serverInfo");
  });

  it("keeps the operator endpoints", async () => {
    expect((await fetch(`${web.base}/healthz`)).status).toBe(200);
  });
});

describe("a web process with no token configured", () => {
  it("answers /api/v1 and /mcp with 404 and how to turn them on", async () => {
    const web = await startWeb("off", {});
    try {
      for (const path of ["/api/v1/tasks", "/mcp"]) {
        const res = await fetch(`${web.base}${path}`);
        expect(res.status).toBe(404);
        expect(((await res.json()) as { detail: string }).detail).toContain("JULES_API_TOKEN");
      }
    } finally {
      await web.jules.stop(1000);
    }
  });
});
