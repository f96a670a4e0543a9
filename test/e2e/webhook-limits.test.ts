/**
 * The web server's front door under attack, over real TCP to a real
 * `src/main.ts` process: nobody without the webhook secret can make it hold
 * a body in memory. A body over GitHub's 25 MB cap is refused from its
 * Content-Length with 413 before a byte is read (the process's resident
 * memory stays flat over several 30 MB attempts), a body without a length
 * gets 411, a content type GitHub never sends 415, a body that never ends is
 * cut at JULES_HTTP_BODY_TIMEOUT_MS, and a body on any other path (the
 * operator endpoints) is refused and its connection closed. A correctly
 * signed delivery is still taken.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { JulesProcesses, type JulesProcess } from "../helpers/jules-process.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { issueComment } from "../helpers/payloads.ts";
import { rawExchange, requestHead, type BodyPlan } from "../helpers/raw-http.ts";
import { deliver } from "../helpers/signed-delivery.ts";
import { freePort } from "../helpers/web-server.ts";

const MB = 1024 * 1024;
const BODY_TIMEOUT_MS = 1500;

/** Resident memory of a process, in bytes (VmRSS in /proc/<pid>/status). */
async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  assert.ok(kb, `no VmRSS in /proc/${pid}/status`);
  return Number(kb[1]) * 1024;
}

describe("webhook and request body limits of a real src/main.ts process", { timeout: 240_000 }, () => {
  const procs = new JulesProcesses();
  const secret = randomBytes(16).toString("hex");
  let dataDir: string;
  let app: JulesProcess;
  let port: number;
  const webhookHead = (headers: Record<string, string | number>) =>
    requestHead("POST", "/api/github/webhooks", {
      "user-agent": "GitHub-Hookshot/attack",
      "x-github-event": "issue_comment",
      "x-github-delivery": "d6f2c9e0-0000-4000-8000-000000000000",
      "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      ...headers,
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "jules-webhook-limits-"));
    port = await freePort();
    app = await procs.start("web", "all", {
      APP_ID: "1",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: secret,
      HOST: "127.0.0.1",
      PORT: String(port),
      // Nothing listens there: the app's identity lookup fails (a warning), and no GitHub is needed. (The
      // GitHub stand-in would load nock into this process, which fakes the raw sockets these tests open.)
      GHE_HOST: "127.0.0.1:9",
      GHE_PROTOCOL: "http",
      JULES_DATA_DIR: dataDir,
      JULES_PROVIDER: "none",
      JULES_HTTP_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    });
  });
  afterAll(async () => {
    await procs.stopAll();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("answers 413 to 30 MB unsigned bodies from their length, without reading them: memory stays flat", async () => {
    const before = await rss(app.pid);
    const statuses: (number | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const ex = rawExchange(port, webhookHead({ "content-type": "application/json", "content-length": 30 * MB }), { kind: "bytes", total: 30 * MB, fill: "{" });
      statuses.push(await ex.status);
      const closedMs = await Promise.race([ex.closed, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
      ex.destroy();
      assert.notEqual(closedMs, null, `the server kept the connection of a refused 30 MB body open (answer: ${ex.received().slice(0, 200)})`);
    }
    const grown = (await rss(app.pid)) - before;
    assert.ok(grown < 50 * MB, `resident memory grew by ${Math.round(grown / MB)} MB over six 30 MB unsigned bodies`);
    assert.deepEqual(statuses, [413, 413, 413, 413, 413, 413]);
  });

  it("answers 411 to a body without a Content-Length (chunked), before reading it", async () => {
    const ex = rawExchange(port, webhookHead({ "content-type": "application/json", "transfer-encoding": "chunked" }), { kind: "drip", intervalMs: 50, chunked: true });
    assert.equal(await ex.status, 411, ex.received());
    assert.match(ex.received(), /Content-Length/);
    ex.destroy();
  });

  it("answers 415 to a content type GitHub does not send, before reading the body", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const ex = rawExchange(port, webhookHead({ "content-type": type, "content-length": 10 * MB }), { kind: "none" });
      assert.equal(await ex.status, 415, `${type}: ${ex.received()}`);
      ex.destroy();
    }
  });

  it("cuts a signed-looking body that never ends at JULES_HTTP_BODY_TIMEOUT_MS and frees the socket", async () => {
    const ex = rawExchange(port, webhookHead({ "content-type": "application/json", "content-length": 1 * MB }), { kind: "drip", intervalMs: 100 });
    const closedMs = await Promise.race([ex.closed, new Promise<null>((r) => setTimeout(() => r(null), BODY_TIMEOUT_MS + 4000))]);
    ex.destroy();
    assert.notEqual(closedMs, null, `a dripping body was still being read ${BODY_TIMEOUT_MS + 4000} ms later`);
    assert.ok(closedMs! >= BODY_TIMEOUT_MS - 100, `cut after ${closedMs} ms, before the deadline`);
    assert.match(ex.received(), /^HTTP\/1\.1 408/);
  });

  it("refuses a body on the operator endpoints and closes the connection, whatever its length", async () => {
    const cases: { path: string; headers: Record<string, number | string>; body: BodyPlan; status: number }[] = [
      { path: "/healthz", headers: { "content-length": 30 * MB }, body: { kind: "bytes", total: 30 * MB }, status: 413 },
      { path: "/metrics", headers: { "transfer-encoding": "chunked" }, body: { kind: "drip", intervalMs: 50, chunked: true }, status: 411 },
      { path: "/api/tasks", headers: { "content-length": 100 }, body: { kind: "none" }, status: 413 },
      { path: "/no-such-path", headers: { "content-length": 5 * MB }, body: { kind: "drip", intervalMs: 50 }, status: 413 },
    ];
    for (const c of cases) {
      const ex = rawExchange(port, requestHead("POST", c.path, c.headers), c.body);
      assert.equal(await ex.status, c.status, `${c.path}: ${ex.received()}`);
      const closedMs = await Promise.race([ex.closed, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
      ex.destroy();
      assert.notEqual(closedMs, null, `${c.path}: the connection stayed open after the refusal`);
    }
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200, "requests without a body are still served");
  });

  it("still takes a correctly signed delivery, and refuses a wrongly signed one of the same size after reading it", async () => {
    const payload = issueComment({ body: "just a comment, no command", login: "Codertocat" });
    const good = await deliver(`http://127.0.0.1:${port}/api/github/webhooks`, { name: "issue_comment", payload, secret });
    assert.equal(good.status, 200, good.text);
    const bad = await deliver(`http://127.0.0.1:${port}/api/github/webhooks`, { name: "issue_comment", payload, secret: "wrong" });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /signature does not match/);
  });
});
