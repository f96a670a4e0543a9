/**
 * A fake GitHub for the first-run page: a local HTTP server answering the
 * manifest conversion (`POST /app-manifests/{code}/conversions`, also under
 * GHE's /api/v3) with GitHub's own example answer, made a test App: 201 for
 * the one code it knows, GitHub's 404 otherwise. Every request and answer is
 * checked against GitHub's OpenAPI description (`violations`). Its web side
 * does what github.com does once the person presses "Create GitHub App": the
 * form posted to `[/organizations/<org>]/settings/apps/new?state=…` is
 * answered with a redirect to the manifest's `redirect_url` with the code
 * and the state (`manifests` keeps what was posted).
 */
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { testPrivateKey } from "./keys.ts";
import { checkRequest, checkResponse } from "./openapi.ts";

const require = createRequire(import.meta.url);

export const MANIFEST_CODE = "a1b2c3d4e5f6code";
export const TEST_APP = {
  id: 90210,
  slug: "openjules-test",
  name: "OpenJules Test",
  html_url: "https://github.com/apps/openjules-test",
  webhook_secret: "e340154128314309424b7c8e90325147d99fdafa",
  client_id: "Iv1.0123456789abcdef",
  client_secret: "1726be1638095a19edd134c77bde3aa2ece1e5d8",
};

function conversionAnswer() {
  const spec = require("@octokit/openapi/generated/api.github.com.json");
  const example = structuredClone(spec.components.examples["integration-from-manifest"].value);
  return { ...example, ...TEST_APP, pem: testPrivateKey() };
}

export class ManifestGitHub {
  readonly requests: { method: string; path: string }[] = [];
  readonly violations: string[] = [];
  readonly manifests: { path: string; manifest: Record<string, unknown> }[] = [];
  #server: Server | null = null;
  url = "";

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const method = req.method ?? "";
        const path = req.url ?? "/";
        const form = /^(\/organizations\/[\w-]+)?\/settings\/apps\/new\?state=([\w-]+)$/.exec(path);
        if (method === "POST" && form) {
          const manifest = JSON.parse(new URLSearchParams(body).get("manifest") ?? "{}") as Record<string, unknown>;
          this.manifests.push({ path, manifest });
          const back = new URL(String(manifest.redirect_url));
          back.search = new URLSearchParams({ code: MANIFEST_CODE, state: form[2]! }).toString();
          res.writeHead(302, { location: back.toString() }).end();
          return;
        }
        this.requests.push({ method, path });
        this.violations.push(...checkRequest(method, path, body === "" ? undefined : JSON.parse(body)));
        const known = method === "POST" && path.replace(/^\/api\/v3/, "") === `/app-manifests/${MANIFEST_CODE}/conversions`;
        const [status, answer] = known
          ? [201, conversionAnswer()]
          : [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest", status: "404" }];
        this.violations.push(...checkResponse(method, path, status, answer));
        res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    const server = this.#server;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
