import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { isAllowed, type AllowEntry } from "../../security/egress-allowlist.ts";
import { decide, systemLookup, type Lookup } from "./decide.ts";

/**
 * Setup's egress proxy, run by the app for one sandboxed command, listening
 * on a Unix socket that is bound into the sandbox (the sandbox itself has no
 * network namespace route out: this socket is the only way). It speaks
 * CONNECT (HTTPS, and any TLS tunnel) and plain-HTTP absolute-URI requests,
 * decides every target with decide.ts (public addresses, ports 80/443, or the
 * operator's allowlist), connects to the checked address itself, and answers
 * a refusal with a 403 whose text names the rule. Refusals are logged and
 * kept for the run's summary. Security rests here, on the host side: the
 * in-sandbox forwarder is repository-controlled and may be replaced.
 */

export interface EgressProxyOptions {
  allow: readonly AllowEntry[];
  /** Refuse every host not in `allow` (an external agent's proxy: only the hosts its definition names). */
  onlyAllowed?: boolean;
  /** Host uid/gid of the sandbox (when the app runs as root): the socket is handed to it. */
  owner?: { uid: number; gid: number } | null;
  logger?: { warn(message: string): void };
  lookup?: Lookup;
  connectTimeoutMs?: number;
}

export interface EgressProxy {
  socketPath: string;
  /** "host:port: reason" for every refusal so far. */
  refused: string[];
  close(): Promise<void>;
}

const HOP_BY_HOP = ["connection", "proxy-connection", "keep-alive", "proxy-authorization", "proxy-authenticate", "te", "trailer", "upgrade", "http2-settings"];
const MAX_CONNECTIONS = 256;
/** Refusals kept for the command's note and logged, per command. */
const MAX_REFUSALS_KEPT = 50;
const IDLE_MS = 5 * 60_000;

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

const refusalText = (target: string, reason: string, only: boolean) =>
  only
    ? `OpenJules refused the agent's connection to ${target}: ${reason}. The agent may reach only the hosts its definition names (JULES_AGENTS \`network\`).\n`
    : `OpenJules refused setup's connection to ${target}: ${reason}. Setup may reach public hosts only (not loopback, private, link-local or metadata addresses); ` +
      `an operator can allow a private registry with JULES_SETUP_ALLOW_HOSTS=host:port.\n`;

function rawAnswer(socket: Duplex, status: number, text: string): void {
  const title = status === 403 ? "Forbidden" : status === 502 ? "Bad Gateway" : "Bad Request";
  socket.end(`HTTP/1.1 ${status} ${title}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

/** Connects to the first checked address that answers. */
function connectFirst(addresses: string[], port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const attempt = (i: number, lastError: Error | null) => {
      const address = addresses[i];
      if (address === undefined) return reject(lastError ?? new Error("no address"));
      const socket = connect({ host: address, port });
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`connection to ${address}:${port} timed out`)));
      socket.once("connect", () => {
        socket.setTimeout(IDLE_MS, () => socket.destroy());
        resolve(socket);
      });
      socket.once("error", (error) => attempt(i + 1, error));
    };
    attempt(0, null);
  });
}

function splitTarget(target: string): { host: string; port: number } | null {
  const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(target);
  const port = Number(match?.[2]);
  return match && port > 0 && port < 65536 ? { host: match[1] as string, port } : null;
}

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const lookup = options.lookup ?? systemLookup;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const refused: string[] = [];
  const open = new Set<Duplex>();
  const track = (s: Duplex) => {
    open.add(s);
    s.once("close", () => open.delete(s));
  };

  const only = options.onlyAllowed ?? false;
  const check = async (host: string, port: number) => {
    const decision: Awaited<ReturnType<typeof decide>> =
      only && !isAllowed(options.allow, host, port)
        ? { ok: false, status: 403, reason: `${host}:${port} is not one of the agent's hosts` }
        : await decide(host, port, options.allow, lookup);
    if (!decision.ok) {
      const target = `${host}:${port}`;
      // Kept and logged up to a bound: a setup looping on refused connections must not grow memory or flood the log.
      if (refused.length < MAX_REFUSALS_KEPT) {
        refused.push(`${target}: ${decision.reason}`);
        options.logger?.warn(`${only ? "agent" : "setup"} egress refused ${target}: ${decision.reason}`);
      } else if (refused.length === MAX_REFUSALS_KEPT) {
        refused.push(`… further refusals not listed`);
        options.logger?.warn(`setup egress refused more than ${MAX_REFUSALS_KEPT} connections; no more are logged for this command`);
      }
      return { ...decision, text: refusalText(target, decision.reason, only) };
    }
    return decision;
  };

  const onConnect = async (req: IncomingMessage, client: Duplex, head: Buffer) => {
    track(client);
    client.on("error", () => client.destroy());
    const target = splitTarget(req.url ?? "");
    if (!target) return rawAnswer(client, 400, `CONNECT needs host:port, got ${JSON.stringify(req.url)}\n`);
    const decision = await check(target.host, target.port);
    if (!decision.ok) return rawAnswer(client, decision.status, decision.text);
    let upstream: Socket;
    try {
      upstream = await connectFirst(decision.addresses, target.port, connectTimeoutMs);
    } catch (error) {
      return rawAnswer(client, 502, `cannot connect to ${req.url}: ${(error as Error).message}\n`);
    }
    track(upstream);
    if (client.destroyed) return upstream.destroy();
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) upstream.write(head);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream).pipe(client);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const answer = (status: number, text: string) => res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end(text);
    let url: URL;
    try {
      url = new URL(req.url ?? "");
    } catch {
      return answer(400, "This is setup's egress proxy: send absolute-URI requests (http://host/path) or CONNECT host:port.\n");
    }
    if (url.protocol !== "http:") return answer(400, `Only http:// URLs are forwarded as requests; use CONNECT for ${url.protocol}\n`);
    const port = Number(url.port || 80);
    const decision = await check(url.hostname, port);
    if (!decision.ok) return answer(decision.status, decision.text);
    let socket: Socket;
    try {
      socket = await connectFirst(decision.addresses, port, connectTimeoutMs);
    } catch (error) {
      return answer(502, `cannot connect to ${url.host}: ${(error as Error).message}\n`);
    }
    track(socket);
    const headers = { ...endToEnd(req.headers), host: url.host, connection: "close" };
    const upstream = request({ createConnection: () => socket, method: req.method, path: `${url.pathname}${url.search}`, headers, setHost: false });
    upstream.on("response", (up) => {
      res.writeHead(up.statusCode ?? 502, endToEnd(up.headers));
      up.pipe(res);
    });
    upstream.on("error", (error) => (res.headersSent ? res.destroy() : answer(502, `upstream ${url.host} failed: ${error.message}\n`)));
    req.pipe(upstream);
  };

  // curl (cargo's sparse registries, git) offers h2c on http:// URLs: an optional upgrade, answered as the plain request it also is. Others (WebSocket) are refused.
  const server = createServer({
    shouldUpgradeCallback: (req) =>
      String(req.headers.upgrade ?? "")
        .trim()
        .toLowerCase() !== "h2c",
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.on("connection", track);
  server.on("connect", (req, socket, head) => void onConnect(req, socket, head));
  server.on("request", (req, res) => void onRequest(req, res));
  server.on("upgrade", (_req, socket) => rawAnswer(socket, 400, "Upgrades are not forwarded; use CONNECT.\n"));

  const dir = await mkdtemp(join(tmpdir(), "openjules-egress-"));
  const socketPath = join(dir, "proxy.sock");
  try {
    await chmod(dir, 0o711); // the sandbox user must reach the socket; the random name is not listable
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(socketPath, () => resolve()));
    await chmod(socketPath, 0o600);
    if (options.owner) await chown(socketPath, options.owner.uid, options.owner.gid);
  } catch (error) {
    server.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    socketPath,
    refused,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const s of open) s.destroy();
      await closed;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
