/**
 * An attacker's load on a web server, as its own process (a test process
 * that loaded nock cannot open raw sockets: nock fakes them): endless
 * webhook bodies, request heads that never end, and idle keep-alive
 * sockets, all held open. `node open-requests-child.ts <port>` prints
 * "open" once they all are, and keeps them until it is killed.
 */
import { rawExchange, requestHead } from "./raw-http.ts";

const port = Number(process.argv[2]);
const webhook = requestHead("POST", "/api/github/webhooks", {
  "content-type": "application/json",
  "content-length": 1024 * 1024,
  "x-github-event": "issue_comment",
  "x-github-delivery": "00000000-0000-4000-8000-000000000000",
  "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
});
const held = [
  ...Array.from({ length: 4 }, () => rawExchange(port, webhook, { kind: "drip", intervalMs: 200 })),
  ...Array.from({ length: 2 }, () => rawExchange(port, "GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ", { kind: "drip", intervalMs: 200 })),
];
const keepAlive = Array.from({ length: 3 }, () => rawExchange(port, requestHead("GET", "/healthz", { connection: "keep-alive" }), { kind: "none" }));
const statuses = await Promise.all(keepAlive.map((k) => k.status));
if (statuses.some((s) => s !== 200)) throw new Error(`keep-alive requests answered ${statuses.join(", ")}`);
await new Promise((resolve) => setTimeout(resolve, 300));
console.log(`open ${held.length + keepAlive.length}`);
setInterval(() => undefined, 60_000);
