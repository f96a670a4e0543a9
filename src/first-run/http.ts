import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The first-run server's HTTP plumbing: the security headers every answer
 * carries (a CSP without scripts, the pages' own style element only, forms
 * only to this server and GitHub, no framing), the browser cookie, form bodies (small, url-encoded, timed),
 * and the same-origin check of a form post. The referrer policy sends other sites
 * the origin alone, never a path or query (the callback's URL holds
 * GitHub's code, and answers with a redirect at once anyway): stricter
 * policies make the browser send `Origin: null`, on this server's own forms
 * and on the manifest's post to GitHub.
 */

export const COOKIE = "oj_first_run";
const MAX_FORM_BYTES = 16 * 1024;

export function securityHeaders(webHost: string, styleSource: string): Record<string, string> {
  return {
    "content-security-policy": `default-src 'none'; style-src ${styleSource}; img-src data:; form-action 'self' ${webHost}; frame-ancestors 'none'; base-uri 'none'`,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
  };
}

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string, type = "text/html; charset=utf-8"): void {
  res.writeHead(status, { ...headers, "content-type": type, "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

export function cookieOf(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === COOKIE) return rest.join("=") || null;
  }
  return null;
}

export function setCookie(value: string, secure: boolean): string {
  return `${COOKIE}=${value}; Path=/first-run; HttpOnly; SameSite=Lax; Max-Age=3600${secure ? "; Secure" : ""}`;
}

export const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export const formToken = (secret: Buffer, browser: string) => createHmac("sha256", secret).update(`first-run form:${browser}`).digest("base64url");

/** The Host header when it is a plain host[:port] (an IPv6 literal in brackets), else null. */
export function hostOf(req: IncomingMessage): string | null {
  const host = req.headers.host ?? "";
  return /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(host) ? host : null;
}

/** A form post comes from this server's own pages: its Origin (when the browser sends one) is this host's or JULES_PUBLIC_URL's. */
export function sameOrigin(req: IncomingMessage, publicUrl: string | undefined): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = hostOf(req);
  const allowed = [host && `http://${host}`, host && `https://${host}`, publicUrl && new URL(publicUrl).origin];
  return allowed.includes(origin);
}

/** A form post from this server's own page, with the browser's token: its fields, or what to answer. */
export async function checkedForm(req: IncomingMessage, expect: { token: string; publicUrl: string | undefined; timeoutMs: number }): Promise<FormBody> {
  if (!sameOrigin(req, expect.publicUrl)) return { ok: false, status: 403, text: "This form was sent from another site." };
  const body = await readForm(req, expect.timeoutMs);
  if (body.ok && !sameText(body.fields.get("token") ?? "", expect.token)) return { ok: false, status: 403, text: "This form is out of date: reload the page." };
  return body;
}

export type FormBody = { ok: true; fields: URLSearchParams } | { ok: false; status: number; text: string };

export function readForm(req: IncomingMessage, timeoutMs: number): Promise<FormBody> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return Promise.resolve({ ok: false, status: 415, text: "The form must be sent as application/x-www-form-urlencoded." });
  if (Number(req.headers["content-length"] ?? 0) > MAX_FORM_BYTES) return Promise.resolve({ ok: false, status: 413, text: "The form is too large." });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const timer = setTimeout(() => finish({ ok: false, status: 408, text: "The form took too long to arrive." }), timeoutMs);
    const finish = (result: FormBody) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.removeAllListeners("data");
      if (!result.ok) req.resume();
      resolve(result);
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) return finish({ ok: false, status: 413, text: "The form is too large." });
      chunks.push(chunk);
    });
    req.once("end", () => finish({ ok: true, fields: new URLSearchParams(Buffer.concat(chunks).toString("utf8")) }));
    req.once("error", () => finish({ ok: false, status: 400, text: "The form did not arrive whole." }));
  });
}

/** Listens on port and host (0: any free port) and gives the port and a close() that ends idle keep-alive connections at once and the rest after 2 s. */
export async function listen(server: Server, port: number, host: string): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), 2000);
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    }));
  return { port: (server.address() as AddressInfo).port, close };
}

/** The address to open on this machine for a server listening on host and port. */
export function localAddress(host: string, port: number): string {
  const name = ["0.0.0.0", "::", ""].includes(host) ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${name}:${port}`;
}
