/**
 * The MCP server over Streamable HTTP at /mcp, in the web process, as an
 * OpsHandler (answers /mcp only, false for every other path). Every request
 * carries a bearer token (the operator token or a personal token), resolved
 * to a principal by src/access; none or a wrong one is a 401.
 *
 * Stateless: every POST gets its own server and transport, built for the
 * request's caller, and nothing is kept between requests. Any web replica
 * answers any request, a restart loses nothing, and a revoked token stops
 * working at the next request. There is no GET stream (405): nothing is
 * pushed between requests; wait_for_task keeps its own POST open (SSE) until
 * the task changes, with progress notifications meanwhile.
 *
 * DNS rebinding and cross-site requests: a request with an `Origin` header
 * (a browser page) is refused with 403 unless that origin is allowed, as the
 * MCP specification asks; `allowedHosts` (the server's own names) refuses
 * any other `Host`, the check the SDK's middleware makes for local servers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { resolvePrincipal, type TokenSources } from "../access/resolve-principal.ts";
import type { Logger } from "../domain/logger.ts";
import type { ControlPlane } from "../tasks/control/port.ts";
import { createMcpServer } from "./server.ts";

export interface McpHttpOptions {
  control: ControlPlane;
  dataDir: string;
  /** The operator token and the personal tokens a bearer token is resolved against (src/access). */
  access: TokenSources;
  /** Host names (no port) the server answers as; every Host when not given (see loopbackHosts). */
  allowedHosts?: readonly string[] | null | undefined;
  /** Browser origins allowed to call /mcp (e.g. the operator's own web app); none by default. */
  allowedOrigins?: readonly string[];
  log?: Pick<Logger, "error">;
  /** wait_for_task's progress interval (default 10 s). */
  progressMs?: number;
}

export type OpsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Hosts a server bound to loopback answers as: the SDK's own list for local servers; null (no check) for other binds. */
export function loopbackHosts(bindHost: string): readonly string[] | null {
  return ["127.0.0.1", "localhost", "::1", "[::1]"].includes(bindHost) ? ["localhost", "127.0.0.1", "[::1]"] : null;
}

const rpcError = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(`${JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null })}\n`);
};

/** The token of an `Authorization: Bearer <token>` header (as src/ops/bearer.ts reads it), or null. */
const bearer = (header: string | undefined) => /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "")?.[1] ?? null;

function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  try {
    return host !== undefined && allowed.includes(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

export function createMcpHttpHandler(options: McpHttpOptions): OpsHandler {
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.allowedHosts && !hostAllowed(req.headers.host, options.allowedHosts))
      return rpcError(res, 403, `This server does not answer as host ${req.headers.host ?? "(none)"}.`);
    const origin = req.headers.origin;
    if (origin !== undefined && !options.allowedOrigins?.includes(origin))
      return rpcError(res, 403, `Requests from the web page at ${origin} are not allowed; MCP clients call /mcp directly, without an Origin.`);
    const auth = resolvePrincipal(bearer(req.headers.authorization), options.access);
    if (!auth.ok) return rpcError(res, auth.status, auth.message, auth.status === 401 ? { "www-authenticate": 'Bearer realm="openjules"' } : {});
    if (req.method !== "POST") return rpcError(res, 405, "This MCP server is stateless: send each JSON-RPC message with POST.", { allow: "POST" });

    const caller = { principal: auth.principal, face: "mcp" } as const;
    const server = createMcpServer({ control: options.control, dataDir: options.dataDir, log: options.log, progressMs: options.progressMs, caller });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.once("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }

  return async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== "/mcp" && path !== "/mcp/") return false;
    try {
      await serve(req, res);
    } catch (error) {
      options.log?.error({ err: error, path }, "the MCP endpoint failed");
      if (!res.headersSent) rpcError(res, 500, "Internal error; see the OpenJules logs.");
      else res.end();
    }
    return true;
  };
}
