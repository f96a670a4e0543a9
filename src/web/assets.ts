/**
 * The built web app (web/dist, written by `npm run build:web`) under /app:
 * files under /app/assets/ (their names carry a content hash) with a year of
 * immutable caching, other files of the build as they are, and index.html
 * (no-store) for every other path under /app, the single-page app's own
 * routes. Every answer carries the security headers (a strict CSP without
 * inline scripts or styles, no framing, no sniffing). The build is looked up
 * next to this source file, never in the working directory; a request path
 * that leaves it (`..`, encoded or not, backslashes, NUL) is refused. Without
 * a build, a 503 page says how to make one.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readFile, realpath, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import type { OpsHandler } from "../ops/http-routes.ts";
import type { WebOptions } from "./handler.ts";

/** web/dist of the repository, from this file (src/web/assets.ts). */
export const DIST = resolve(import.meta.dirname, "..", "..", "web", "dist");

const BASE = "/app";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};

const IMMUTABLE = "public, max-age=31536000, immutable";

/** The headers of every /app answer (the design contract of issue 12). */
export function securityHeaders(webHost: string): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob: data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self' ${webHost}`,
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
  };
}

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>OpenJules: the web app is not built</title></head>
<body>
<main>
<h1>The web app is not built</h1>
<p>The web app is not built: run <code>npm run build:web</code> (npm ci does it), then reload this page.</p>
<p>Contributors can also run the development server with hot reload: <code>npm run dev:web</code>.</p>
</main>
</body>
</html>
`;

const plainPage = (title: string, text: string) =>
  `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body><main><h1>${title}</h1><p>${text}</p></main></body>\n</html>\n`;

/**
 * The path under the build a request asks for ("" for the app itself), or
 * null when it is not a clean relative path (traversal, NUL, backslashes,
 * bad percent-encoding, hidden files).
 */
export function relativeAssetPath(pathname: string): string | null {
  const rest = pathname === BASE ? "" : pathname.slice(BASE.length + 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (/[\0\\]/.test(decoded)) return null;
  const segments = decoded.split("/");
  if (segments.some((s) => s === ".." || s === "." || s.startsWith("."))) return null;
  return segments.filter((s) => s !== "").join("/");
}

async function fileIn(dist: string, relative: string): Promise<{ path: string; size: number } | null> {
  if (relative === "") return null;
  const path = join(dist, relative);
  if (!path.startsWith(dist + sep)) return null;
  try {
    const info = await stat(path);
    if (!info.isFile()) return null;
    // A link inside the build pointing out of it is not served either.
    const real = await realpath(path);
    const realDist = await realpath(dist);
    if (!real.startsWith(realDist + sep)) return null;
    return { path: real, size: info.size };
  } catch {
    return null;
  }
}

/**
 * Serves the app under /app. `dist` is where the build is (web/dist by
 * default; tests pass their own).
 */
export function createAssetHandler(options: WebOptions, dist: string = DIST): OpsHandler {
  const security = securityHeaders(options.settings.web.webHost);

  function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): true {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    res.writeHead(status, { ...security, ...headers, "content-length": String(bytes.length) });
    res.end(req.method === "HEAD" ? undefined : bytes);
    return true;
  }
  const html = (req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer, extra: Record<string, string> = {}) =>
    send(req, res, status, { "content-type": TYPES[".html"]!, "cache-control": "no-store", ...extra }, body);

  return async (req, res) => {
    // The path as sent, not as a URL parser normalises it: `/app/../x` is refused here rather than resolved.
    const [pathname = "/", query] = (req.url ?? "/").split(/\?(.*)/s);
    const search = query === undefined ? "" : `?${query}`;
    if (pathname !== BASE && !pathname.startsWith(`${BASE}/`)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      return html(req, res, 405, plainPage("Method not allowed", "The web app answers GET and HEAD only."), { allow: "GET, HEAD" });
    }
    if (pathname === BASE) {
      res.writeHead(308, { ...security, location: `${BASE}/${search}`, "cache-control": "no-store", "content-length": "0" });
      res.end();
      return true;
    }
    const relative = relativeAssetPath(pathname);
    if (relative === null) return html(req, res, 400, plainPage("Bad request", "That path cannot be served."));
    const index = join(dist, "index.html");
    let page: Buffer;
    try {
      page = await readFile(index);
    } catch {
      return html(req, res, 503, NOT_BUILT, { "retry-after": "60" });
    }
    const file = relative === "index.html" ? null : await fileIn(dist, relative);
    if (file) {
      const hashed = relative.startsWith("assets/");
      const type = TYPES[extname(file.path).toLowerCase()] ?? "application/octet-stream";
      return send(req, res, 200, { "content-type": type, "cache-control": hashed ? IMMUTABLE : "no-cache" }, await readFile(file.path));
    }
    // A missing asset is a 404, not the app: a stale hashed name must not be answered with HTML.
    if (relative.startsWith("assets/")) return html(req, res, 404, plainPage("Not found", "There is no such file in the web app; reload the page."));
    return html(req, res, 200, page);
  };
}
