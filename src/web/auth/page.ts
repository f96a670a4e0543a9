/**
 * The sign-in routes' own pages: plain HTML (no script, no style) naming what
 * happened and what to do, with a "Try again" link. Every piece of text is
 * escaped, GitHub's words included.
 */
import type { ServerResponse } from "node:http";
import type { WebSettings } from "../../settings.ts";
import { securityHeaders } from "../assets.ts";

export interface Page {
  status: number;
  title: string;
  /** Paragraphs. */
  says: string[];
  /** Where "Try again" goes (a path of this server). */
  retry: string;
  headers?: Record<string, string | string[]>;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export function sendPage(res: ServerResponse, page: Page, web: Pick<WebSettings, "webHost">): void {
  const html = [
    "<!doctype html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)} · OpenJules</title></head>`,
    "<body><main>",
    `<h1>${escapeHtml(page.title)}</h1>`,
    ...page.says.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(page.retry)}">Try again</a></p>`,
    "</main></body></html>",
    "",
  ].join("\n");
  res.writeHead(page.status, { ...securityHeaders(web.webHost), "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...page.headers });
  res.end(html);
}
