/**
 * The built web app under /app over real HTTP: the security headers on
 * every answer, hashed assets with immutable caching and their content
 * types, index.html (no-store) for the app's own routes, HEAD, traversal
 * refused (encoded or not, through a link out of the build), and the page
 * saying how to build when there is no build.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/settings.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { createAssetHandler, DIST } from "../../src/web/assets.ts";
import type { WebOptions } from "../../src/web/handler.ts";
import { testPrivateKey } from "../helpers/keys.ts";

const INDEX = '<!doctype html><html lang="en"><head><script type="module" src="/app/assets/index-Abc123.js"></script></head><body><div id="root"></div></body></html>';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with its path sent exactly as written (fetch would normalise `..`). */
function get(port: number, path: string, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function serve(dist: string, env: Record<string, string> = {}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), "jules-web-assets-"));
  const settings = loadSettings({ APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "s", JULES_DATA_DIR: dataDir, ...env });
  const store = openSqliteStore(join(dataDir, "openjules.db"));
  const options: WebOptions = { settings, log: { info() {}, warn() {}, error() {} }, store };
  const handler = createAssetHandler(options, dist);
  const server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(418);
        res.end("not mine");
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function expectSecurityHeaders(answer: Answer, webHost = "https://github.com") {
  const csp = String(answer.headers["content-security-policy"]);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self';");
  expect(csp).toContain("style-src 'self';");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain(`form-action 'self' ${webHost}`);
  expect(csp).not.toContain("unsafe-inline");
  expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  expect(answer.headers["referrer-policy"]).toBe("same-origin");
  expect(answer.headers["x-frame-options"]).toBe("DENY");
  expect(answer.headers["cross-origin-opener-policy"]).toBe("same-origin");
}

describe("the built web app under /app", () => {
  let root: string;
  let app: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "jules-web-dist-"));
    const dist = join(root, "dist");
    await mkdir(join(dist, "assets"), { recursive: true });
    await writeFile(join(dist, "index.html"), INDEX);
    await writeFile(join(dist, "assets", "index-Abc123.js"), "console.log('app');\n");
    await writeFile(join(dist, "assets", "index-Def456.css"), "body{margin:0}\n");
    await writeFile(join(dist, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(dist, ".hidden"), "not for you");
    await writeFile(join(root, "secret.txt"), "outside the build");
    await symlink(join(root, "secret.txt"), join(dist, "assets", "link.txt"));
    app = await serve(dist);
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it("is served from web/dist next to the source, not the working directory", () => {
    expect(DIST).toBe(join(import.meta.dirname, "..", "..", "web", "dist"));
  });

  it("answers hashed assets with their content type, immutable caching and the security headers", async () => {
    const js = await get(app.port, "/app/assets/index-Abc123.js");
    expect(js.status).toBe(200);
    expect(js.body).toBe("console.log('app');\n");
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expectSecurityHeaders(js);
    const css = await get(app.port, "/app/assets/index-Def456.css");
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
    const icon = await get(app.port, "/app/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers["content-type"]).toBe("image/svg+xml");
    expect(icon.headers["cache-control"]).toBe("no-cache");
  });

  it("answers index.html, never cached, for the app's routes", async () => {
    for (const path of ["/app/", "/app/new", "/app/tasks/abc123", "/app/settings?tab=keys", "/app/index.html", "/app/some/deep/route"]) {
      const page = await get(app.port, path);
      expect(page.status, path).toBe(200);
      expect(page.body, path).toBe(INDEX);
      expect(page.headers["content-type"], path).toBe("text/html; charset=utf-8");
      expect(page.headers["cache-control"], path).toBe("no-store");
      expectSecurityHeaders(page);
    }
  });

  it("sends /app to /app/, keeping the query", async () => {
    const moved = await get(app.port, "/app?x=1");
    expect(moved.status).toBe(308);
    expect(moved.headers.location).toBe("/app/?x=1");
    expectSecurityHeaders(moved);
  });

  it("answers HEAD with the headers and no body", async () => {
    const head = await get(app.port, "/app/assets/index-Abc123.js", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers["content-length"]).toBe(String("console.log('app');\n".length));
    const page = await get(app.port, "/app/tasks/x", "HEAD");
    expect(page.status).toBe(200);
    expect(page.body).toBe("");
    expect(page.headers["content-length"]).toBe(String(INDEX.length));
  });

  it("refuses other methods", async () => {
    const post = await get(app.port, "/app/", "POST");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    expectSecurityHeaders(post);
  });

  it("answers a missing hashed asset with 404, not the app", async () => {
    const missing = await get(app.port, "/app/assets/index-Old999.js");
    expect(missing.status).toBe(404);
    expect(missing.body).not.toContain("root");
    expectSecurityHeaders(missing);
  });

  it("never serves a file outside the build", async () => {
    for (const path of ["/app/../secret.txt", "/app/%2e%2e/secret.txt", "/app/assets/%2e%2e/%2e%2e/secret.txt", "/app/..%2fsecret.txt", "/app/..%5csecret.txt", "/app/%00x"]) {
      const answer = await get(app.port, path);
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).not.toContain("outside the build");
      expectSecurityHeaders(answer);
    }
    const bad = await get(app.port, "/app/%E0%A4%A");
    expect(bad.status).toBe(400);
    const linked = await get(app.port, "/app/assets/link.txt");
    expect(linked.status).toBe(404);
    expect(linked.body).not.toContain("outside the build");
    const hidden = await get(app.port, "/app/.hidden");
    expect(hidden.status).toBe(400);
  });

  it("leaves paths outside /app to other handlers", async () => {
    expect((await get(app.port, "/application")).status).toBe(418);
    expect((await get(app.port, "/")).status).toBe(418);
  });
});

describe("without a build", () => {
  it("answers 503 with how to build, for every /app path", async () => {
    const root = await mkdtemp(join(tmpdir(), "jules-web-none-"));
    const app = await serve(join(root, "dist"), { GHE_HOST: "ghe.example.com" });
    try {
      for (const path of ["/app/", "/app/tasks/x", "/app/assets/index-Abc123.js"]) {
        const answer = await get(app.port, path);
        expect(answer.status, path).toBe(503);
        expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
        expect(answer.headers["cache-control"]).toBe("no-store");
        expect(answer.body).toContain("The web app is not built: run <code>npm run build:web</code> (npm ci does it)");
        expectSecurityHeaders(answer, "https://ghe.example.com");
      }
    } finally {
      await app.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
