import assert from "node:assert/strict";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, it } from "vitest";
import { parseAllowEntry } from "../../src/security/egress-allowlist.ts";
import { startEgressProxy, type EgressProxy } from "../../src/sandbox/egress/proxy.ts";

/**
 * curl-based clients (cargo's sparse registries, git over http://) offer an
 * optional HTTP/2 upgrade on plain http:// URLs (`Upgrade: h2c` with
 * `HTTP2-Settings`). Setup's egress proxy answered it 400 ("Upgrades are not
 * forwarded"), so `cargo fetch` from an allowlisted http:// registry failed.
 * The offer is dropped (both are hop-by-hop headers) and the request is
 * forwarded as the HTTP/1.1 request it also is; a WebSocket upgrade is still
 * refused.
 */
describe("egress proxy: an optional h2c upgrade is forwarded as plain HTTP/1.1", () => {
  let upstream: Server;
  let port: number;
  let proxy: EgressProxy;
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen.push(req.headers);
      res.end(`index for ${req.url}`);
    });
    port = await new Promise<number>((resolve) => upstream.listen(0, "127.0.0.1", () => resolve((upstream.address() as { port: number }).port)));
    proxy = await startEgressProxy({ allow: [parseAllowEntry(`127.0.0.1:${port}`)] });
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  const viaProxy = (headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { socketPath: proxy.socketPath, method: "GET", path: `http://127.0.0.1:${port}/index/config.json`, headers: { host: `127.0.0.1:${port}`, ...headers } },
        (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.end();
    });

  it("answers a request offering h2c like any other, without passing the offer upstream", async () => {
    const answer = await viaProxy({ connection: "Upgrade, HTTP2-Settings", upgrade: "h2c", "http2-settings": "AAMAAABkAARAAAAAAAIAAAAA" });
    assert.deepEqual(answer, { status: 200, body: "index for /index/config.json" });
    assert.equal(seen.at(-1)?.upgrade, undefined);
    assert.equal(seen.at(-1)?.["http2-settings"], undefined);
  });

  it("still refuses a WebSocket upgrade", async () => {
    const before = seen.length;
    const answer = await viaProxy({ connection: "Upgrade", upgrade: "websocket", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" });
    assert.equal(answer.status, 400);
    assert.match(answer.body, /Upgrades are not forwarded/);
    assert.equal(seen.length, before, "nothing reached the server");
  });
});
