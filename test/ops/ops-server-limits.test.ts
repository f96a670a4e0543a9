/**
 * The worker's operator server (`src/main.ts worker`) takes no request body
 * and no slow request: a body is refused from its head and the connection
 * closed (never drained), and a head that never finishes is cut at the
 * body deadline, so an endless request cannot pin a socket.
 */
import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { startOpsServer, type OpsServer } from "../../src/ops/ops-server.ts";
import { rawExchange, requestHead } from "../helpers/raw-http.ts";

describe("the worker's operator server under endless requests", () => {
  let ops: OpsServer;
  beforeAll(async () => {
    const handler = async (req: { url?: string }, res: import("node:http").ServerResponse) => {
      if (req.url !== "/healthz") return false;
      res.writeHead(200).end("ok");
      return true;
    };
    ops = await startOpsServer(handler, { host: "127.0.0.1", port: 0, bodyTimeoutMs: 1000 });
  });
  afterAll(() => ops.close());

  const closedWithin = (closed: Promise<number>, ms: number) => Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), ms))]);

  it("refuses a never-ending chunked body with 411 and a huge one with 413, closing the connection", async () => {
    for (const [headers, status] of [
      [{ "transfer-encoding": "chunked" }, 411],
      [{ "content-length": 400 * 1024 * 1024 }, 413],
    ] as const) {
      const ex = rawExchange(ops.port, requestHead("POST", "/healthz", headers), { kind: "drip", intervalMs: 50, chunked: "transfer-encoding" in headers });
      assert.equal(await ex.status, status, ex.received());
      assert.notEqual(await closedWithin(ex.closed, 3000), null, "the connection stayed open");
      ex.destroy();
    }
  });

  it("cuts a request whose head never ends", async () => {
    const ex = rawExchange(ops.port, "GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ", { kind: "drip", intervalMs: 100 });
    const closed = await closedWithin(ex.closed, 4000);
    ex.destroy();
    assert.notEqual(closed, null, "a request head dripping for 4 s was still being read");
  });

  it("still answers requests without a body", async () => {
    const res = await fetch(`http://127.0.0.1:${ops.port}/healthz`);
    assert.equal(res.status, 200);
  });
});
