/**
 * The web server's front door, in front of Probot's webhook middleware
 * (which reads any body whole, of any size, before it checks the signature).
 * Nothing is read before the request's head shows a webhook GitHub could
 * have sent: POST, `application/json` (GitHub Apps always send JSON), a
 * Content-Length (GitHub always sends one; chunked bodies are refused) of at
 * most GitHub's 25 MB payload cap, the event, delivery and a well-formed
 * `x-hub-signature-256` header. Bodies being read at once are bounded in
 * total (a few full-size payloads), and each must arrive within a deadline;
 * its HMAC-SHA256 is checked (in constant time) before anything parses it.
 * Only then does Probot's middleware get the request, with the body already
 * in hand. Every other path takes no request body at all: its connection
 * is closed after the refusal instead of being drained.
 */
import { verify } from "@octokit/webhooks-methods";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Probot } from "probot";

/** GitHub caps webhook payloads at 25 MB. */
export const GITHUB_MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;
/** Bodies read at once, all webhooks together: four full-size payloads. */
export const IN_FLIGHT_BYTES = 4 * GITHUB_MAX_PAYLOAD_BYTES;
const DEFAULT_PATH = "/api/github/webhooks";
const JSON_TYPE = /^\s*application\/json\s*(?:;|$)/i;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;
const WEBHOOK_HEADERS = ["x-github-event", "x-github-delivery", "x-hub-signature-256"] as const;

export interface Refusal {
  status: number;
  error: string;
  headers?: Record<string, string>;
}

export interface WebhookGuardOptions {
  secret: string;
  /** Time for a whole webhook body to arrive once its head has. */
  bodyTimeoutMs: number;
  maxBytes?: number;
  /** Paths whose handlers read and limit their own bodies (the HTTP API /api/v1, MCP at /mcp); every other path takes none. */
  ownBodies?: RegExp;
  log?: { warn(details: Record<string, unknown>, message: string): void };
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next?: () => void) => Promise<boolean> | boolean;

/** Whether a request announces a body (a length above 0, or any transfer coding). */
const hasBody = (headers: IncomingHttpHeaders) => headers["transfer-encoding"] !== undefined || Number(headers["content-length"] ?? 0) > 0;

/** A request to any path but the webhook's: the operator endpoints and Probot's pages take GET and no body. */
export function checkOtherHead(headers: IncomingHttpHeaders): Refusal | null {
  if (!hasBody(headers)) return null;
  if (headers["content-length"] === undefined) return { status: 411, error: "This endpoint takes no request body; a body without a Content-Length is refused." };
  return { status: 413, error: "This endpoint takes no request body." };
}

/** A request to the webhook path, judged from its head alone (no byte of the body read yet). */
export function checkWebhookHead(method: string | undefined, headers: IncomingHttpHeaders, maxBytes = GITHUB_MAX_PAYLOAD_BYTES): Refusal | null {
  if (method !== "POST") return checkOtherHead(headers);
  const type = headers["content-type"];
  if (typeof type !== "string" || !JSON_TYPE.test(type)) {
    return { status: 415, error: 'Unsupported "Content-Type" header value. Must be "application/json" (GitHub Apps deliver JSON).', headers: { accept: "application/json" } };
  }
  const length = headers["content-length"];
  if (headers["transfer-encoding"] !== undefined || length === undefined) {
    return { status: 411, error: "A webhook must say its size: send a Content-Length header (chunked bodies are refused)." };
  }
  if (Number(length) > maxBytes) return { status: 413, error: `The body is ${length} bytes; webhooks are at most ${maxBytes} bytes (GitHub's payload cap).` };
  const missing = WEBHOOK_HEADERS.filter((name) => headers[name] === undefined);
  if (missing.length > 0) return { status: 400, error: `Required headers missing: ${missing.join(", ")}` };
  if (!SIGNATURE.test(String(headers["x-hub-signature-256"])))
    return { status: 400, error: "signature does not match event payload and secret: x-hub-signature-256 is not sha256=<64 hex digits>." };
  return null;
}

/**
 * Whether `signature` (`sha256=<hex>`) is the HMAC-SHA256 of `body` keyed with `secret`, compared in constant time:
 * @octokit/webhooks-methods' `verify`, the same check Probot's middleware makes again on the string it is handed
 * (a body that is not UTF-8 is no JSON either, so reading it as UTF-8 first refuses nothing GitHub sends).
 */
export async function signatureMatches(secret: string, body: Buffer, signature: string): Promise<boolean> {
  return verify(secret, body.toString("utf8"), signature).catch(() => false);
}

/**
 * Answers a refusal and closes the connection afterwards, so an unread body is never drained. Closing at
 * once while the client still sends would reset the connection and could destroy the answer in its
 * kernel before it read it; so what still arrives is dropped for a moment (LINGER_MS) first.
 */
export function refuse(res: ServerResponse, refusal: Refusal): true {
  const socket = res.req.socket;
  if (!res.headersSent) {
    res.shouldKeepAlive = false;
    res.writeHead(refusal.status, { "content-type": "application/json", connection: "close", ...refusal.headers });
  }
  // Node ends a `connection: close` answer with socket.destroySoon(): this socket lingers instead.
  socket.destroySoon = () => lingerThenClose(socket);
  res.end(`${JSON.stringify({ error: refusal.error })}\n`);
  return true;
}

const LINGER_MS = 1000;

export function lingerThenClose(socket: Socket): void {
  socket.end();
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("end", () => socket.destroy()).once("close", () => clearTimeout(timer));
}

/** Reads exactly `length` bytes of body within `timeoutMs`; null when it did not arrive in time or the client went away. */
export function readBody(req: IncomingMessage, length: number, timeoutMs: number): Promise<Buffer | "timeout" | "aborted"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (outcome: Buffer | "timeout" | "aborted") => {
      clearTimeout(timer);
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > length) return finish("aborted");
      chunks.push(chunk);
    };
    const onEnd = () => finish(received === length ? Buffer.concat(chunks, received) : "aborted");
    const onError = () => finish("aborted");
    const onClose = () => finish(req.complete ? Buffer.concat(chunks, received) : "aborted");
    const timer = setTimeout(() => finish("timeout"), timeoutMs);
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

/** Wraps Probot's webhook middleware with the checks above. */
export function guardWebhooks(inner: Middleware, path: string, options: WebhookGuardOptions): Middleware {
  const maxBytes = options.maxBytes ?? GITHUB_MAX_PAYLOAD_BYTES;
  const budget = Math.max(IN_FLIGHT_BYTES, maxBytes);
  let inFlight = 0;
  return async (req, res, next) => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? "/", "http://localhost").pathname.replace(/(.)\/+$/, "$1");
    } catch {
      return refuse(res, { status: 400, error: "The request URL could not be parsed." });
    }
    if (pathname !== path) {
      if (options.ownBodies?.test(pathname)) return inner(req, res, next);
      const refusal = checkOtherHead(req.headers);
      return refusal ? refuse(res, refusal) : inner(req, res, next);
    }
    const refusal = checkWebhookHead(req.method, req.headers, maxBytes);
    if (refusal) return refuse(res, refusal);
    if (req.method !== "POST") return inner(req, res, next);
    const length = Number(req.headers["content-length"]);
    if (inFlight + length > budget)
      return refuse(res, { status: 503, error: "Too many webhook bodies are being received at once; try again shortly.", headers: { "retry-after": "5" } });
    inFlight += length;
    let body: Buffer | "timeout" | "aborted";
    try {
      body = await readBody(req, length, options.bodyTimeoutMs);
    } finally {
      inFlight -= length;
    }
    if (body === "aborted") return refuse(res, { status: 400, error: "The body ended before its Content-Length." });
    if (body === "timeout") {
      options.log?.warn({ delivery: req.headers["x-github-delivery"], length }, `a webhook body did not arrive within ${options.bodyTimeoutMs} ms; the connection was closed`);
      return refuse(res, { status: 408, error: `The body did not arrive within ${options.bodyTimeoutMs} ms.` });
    }
    if (!(await signatureMatches(options.secret, body, String(req.headers["x-hub-signature-256"])))) {
      return refuse(res, { status: 400, error: "signature does not match event payload and secret" });
    }
    // Probot's middleware takes a body already read (a string) instead of reading the stream.
    req.body = body.toString("utf8");
    return inner(req, res, next);
  };
}

/** A Probot class whose webhook middleware (the first handler of Probot's Server) sits behind the guard. */
export function guardedProbot<T extends typeof Probot>(Base: T, options: WebhookGuardOptions): T {
  // @ts-expect-error: a mixin over Probot's constructor type, whose arguments TypeScript cannot spread.
  return class GuardedProbot extends Base {
    #path: string;
    constructor(...args: any[]) {
      super(...args);
      const given = (args[0] as { webhookPath?: string } | undefined)?.webhookPath;
      this.#path = (given ?? DEFAULT_PATH).replace(/(.)\/+$/, "$1");
    }
    override async getNodeMiddleware(opts: Parameters<Probot["getNodeMiddleware"]>[0] = {}) {
      const inner = (await super.getNodeMiddleware(opts)) as unknown as Middleware;
      return guardWebhooks(inner, (opts.path ?? this.#path).replace(/(.)\/+$/, "$1"), options) as never;
    }
  };
}
