import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { networkInterfaces } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createSandboxRunner, type SandboxRunner } from "../../src/sandbox/runner.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

/**
 * Issue 8, item 2: setup with network (`setup_network: public`) must reach
 * public hosts only. From setup inside the real sandbox, the operator's own
 * services (PostgreSQL 5432, Redis 6379, the app's port on 127.0.0.1), a
 * private address, this host's own interface address and the cloud metadata
 * address are unreachable, directly and through the egress proxy; a name
 * resolving to loopback (`localhost`) is refused; an allowlisted local server
 * answers through the proxy. Every target is first proven reachable from
 * outside the sandbox, so the test could fail.
 */

const NODE = process.execPath;
const PROBE = join(import.meta.dirname, "..", "helpers", "egress-probe.cjs");
const exec = promisify(execFile);

interface Probe {
  name: string;
  mode: "direct" | "connect" | "http";
  host: string;
  port: number;
  send?: string;
}
type ProbeResult = { open: boolean; error?: string; status?: number | null; body?: string; reply?: string };

/** A private (RFC 1918) address that answers TCP from this host: the host's DNS server on this machine, else none. */
const PRIVATE_TARGET = { host: "10.255.255.53", port: 53 };

function hostAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return null;
}

const listen = (server: Server, host: string) => new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)));

describe("sandbox: setup's network reaches public hosts only (real bwrap, real sockets)", () => {
  let base: string;
  let ws: string;
  let appServer: Server;
  let allowedServer: Server;
  let appPort: number;
  let allowedPort: number;
  let runner: SandboxRunner;
  const refusals: string[] = [];
  const ifaceAddress = hostAddress();

  beforeAll(async () => {
    base = await tempDir("openjules-egress-");
    ws = join(base, "work", "task");
    await mkdir(ws, { recursive: true });
    await writeFile(join(ws, ".git"), "gitdir: /nowhere\n");
    await copyFile(PROBE, join(ws, "probe.cjs"));
    // The app's own port (bound on every address, like a default HTTP server) and a local registry the operator allows.
    appServer = createServer((_req, res) => res.end("app-secret-answer"));
    appPort = await listen(appServer, "0.0.0.0");
    allowedServer = createServer((req, res) => res.end(`allowed-registry ${req.method} ${req.url}`));
    allowedPort = await listen(allowedServer, "127.0.0.1");
    runner = createSandboxRunner({
      mode: "bubblewrap",
      limits: { memoryBytes: 1536 * 1024 ** 2, processes: 128 },
      extraReadOnly: [dirname(NODE)],
      setupNetwork: { mode: "public", allowHosts: [`localhost:${allowedPort}`] },
      logger: { warn: (message: string) => refusals.push(message) },
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => appServer.close(resolve));
    await new Promise((resolve) => allowedServer.close(resolve));
    await rm(base, { recursive: true, force: true });
  });

  const targets = () => {
    const list: Probe[] = [
      { name: "postgres", mode: "direct", host: "127.0.0.1", port: 5432 },
      { name: "redis", mode: "direct", host: "127.0.0.1", port: 6379, send: "PING\r\n" },
      { name: "redis6", mode: "direct", host: "::1", port: 6379, send: "PING\r\n" },
      { name: "app", mode: "direct", host: "127.0.0.1", port: appPort, send: "GET / HTTP/1.0\r\n\r\n" },
      { name: "private", mode: "direct", ...PRIVATE_TARGET },
      { name: "metadata", mode: "direct", host: "169.254.169.254", port: 80, send: "GET / HTTP/1.0\r\n\r\n" },
    ];
    if (ifaceAddress) list.push({ name: "iface", mode: "direct", host: ifaceAddress, port: appPort, send: "GET / HTTP/1.0\r\n\r\n" });
    return list;
  };

  const probeArg = (probes: Probe[]) => `'${JSON.stringify(probes).replaceAll("'", "'\\''")}'`;
  const inSandbox = async (probes: Probe[]): Promise<Record<string, ProbeResult>> => {
    const result = await runner.run(`${NODE} probe.cjs ${probeArg(probes)}`, { cwd: ws, timeoutMs: 60_000, network: true });
    assert.equal(result.exitCode, 0, result.output);
    return JSON.parse(result.output.trim().split("\n").at(-1) as string);
  };

  it("every target answers from outside the sandbox (so the test below could fail)", async () => {
    const { stdout } = await exec(NODE, [PROBE, JSON.stringify(targets())]);
    const outside = JSON.parse(stdout) as Record<string, ProbeResult>;
    for (const [name, result] of Object.entries(outside)) assert.equal(result.open, true, `${name} from the host: ${JSON.stringify(result)}`);
    assert.match(outside.redis?.reply ?? "", /PONG/);
    assert.match(outside.app?.reply ?? "", /app-secret-answer/);
  });

  it("setup cannot connect directly to loopback, private, link-local/metadata or this host's addresses", async () => {
    const inside = await inSandbox(targets());
    for (const [name, result] of Object.entries(inside)) assert.equal(result.open, false, `${name} from setup: ${JSON.stringify(result)}`);
  });

  it("the egress proxy refuses them with a 403 that names the rule, by CONNECT and by absolute URI", async () => {
    const viaProxy = targets().flatMap((t) => [
      { ...t, name: `${t.name}-connect`, mode: "connect" as const },
      { ...t, name: `${t.name}-http`, mode: "http" as const },
    ]);
    const extra: Probe[] = [
      // Names and spellings that resolve to loopback: a DNS-rebinding-style name, an IPv4-mapped IPv6 form, a decimal address.
      { name: "localhost-name", mode: "connect", host: "localhost", port: appPort },
      { name: "mapped-v6", mode: "connect", host: "::ffff:127.0.0.1", port: 6379 },
      { name: "decimal", mode: "http", host: "2130706433", port: appPort },
      { name: "unspecified", mode: "connect", host: "0.0.0.0", port: appPort },
    ];
    const inside = await inSandbox([...viaProxy, ...extra]);
    for (const [name, result] of Object.entries(inside)) {
      assert.equal(result.status, 403, `${name}: ${JSON.stringify(result)}`);
      assert.doesNotMatch(result.body ?? "", /app-secret-answer|PONG/);
    }
    const reason = (name: string) => /refused setup's connection to \S+: (.*?)\. Setup may reach/.exec(inside[name]?.body ?? "")?.[1] ?? inside[name]?.body;
    assert.equal(reason("postgres-connect"), "127.0.0.1 is loopback (127.0.0.0/8)");
    assert.equal(reason("redis-http"), "127.0.0.1 is loopback (127.0.0.0/8)");
    assert.equal(reason("redis6-connect"), "::1 is loopback (::1)");
    assert.equal(reason("private-connect"), "10.255.255.53 is private (10.0.0.0/8)");
    assert.equal(reason("metadata-http"), "169.254.169.254 is link-local and cloud metadata (169.254.0.0/16)");
    assert.equal(reason("localhost-name"), "localhost resolves to 127.0.0.1, which is loopback (127.0.0.0/8)");
    assert.equal(reason("mapped-v6"), "::ffff:127.0.0.1 is loopback (127.0.0.0/8) inside an IPv4-mapped IPv6 address");
    assert.equal(reason("decimal"), "127.0.0.1 is loopback (127.0.0.0/8)");
    assert.equal(reason("unspecified"), "0.0.0.0 is this-network (0.0.0.0/8)");
    if (ifaceAddress) assert.match(reason("iface-connect") ?? "", /documentation|private|this host's own address/);
    assert.ok(
      refusals.some((line) => line.includes("127.0.0.1:5432")),
      refusals.join("\n"),
    );
  });

  it("an allowlisted local server (JULES_SETUP_ALLOW_HOSTS) answers through the proxy, proving the path works", async () => {
    const inside = await inSandbox([
      { name: "allowed-http", mode: "http", host: "localhost", port: allowedPort },
      { name: "allowed-connect", mode: "connect", host: "localhost", port: allowedPort, send: "GET /tunnel HTTP/1.0\r\n\r\n" },
      { name: "allowed-direct", mode: "direct", host: "127.0.0.1", port: allowedPort },
      // The allowlist names a host and a port: another port of the same host stays refused.
      { name: "other-port", mode: "connect", host: "localhost", port: appPort },
    ]);
    assert.equal(inside["allowed-http"]?.status, 200, JSON.stringify(inside));
    assert.match(inside["allowed-http"]?.body ?? "", /allowed-registry GET \//);
    assert.equal(inside["allowed-connect"]?.status, 200, JSON.stringify(inside));
    assert.match(inside["allowed-connect"]?.reply ?? "", /allowed-registry GET \/tunnel/);
    assert.equal(inside["allowed-direct"]?.open, false);
    assert.equal(inside["other-port"]?.status, 403);
  });

  it("tests and the agent's commands (no network option) get no proxy and no network", async () => {
    const result = await runner.run(`${NODE} probe.cjs ${probeArg([{ name: "redis", mode: "direct", host: "127.0.0.1", port: 6379 }])}; env | grep -ci proxy || true`, {
      cwd: ws,
      timeoutMs: 60_000,
    });
    const [json, proxyVars] = result.output.trim().split("\n");
    assert.equal(JSON.parse(json as string).redis.open, false);
    assert.equal(proxyVars, "0");
  });

  it("the operator's JULES_SETUP_NETWORK=off wins over the repository: no proxy, no network", async () => {
    const off = createSandboxRunner({
      mode: "bubblewrap",
      limits: { memoryBytes: 1536 * 1024 ** 2 },
      extraReadOnly: [dirname(NODE)],
      setupNetwork: { mode: "off", allowHosts: [] },
    });
    const result = await off.run(
      `${NODE} probe.cjs ${probeArg([
        { name: "app", mode: "direct", host: "127.0.0.1", port: appPort },
        { name: "proxy", mode: "http", host: "localhost", port: allowedPort },
      ])}`,
      { cwd: ws, timeoutMs: 60_000, network: true },
    );
    const inside = JSON.parse(result.output.trim().split("\n").at(-1) as string) as Record<string, ProbeResult>;
    assert.equal(inside.app?.open, false);
    assert.equal(inside.proxy?.error, "no proxy in the environment");
    assert.match(result.network ?? "", /JULES_SETUP_NETWORK=off/);
  });
});
