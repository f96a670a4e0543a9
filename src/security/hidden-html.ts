/**
 * Removes the parts of a markdown text that GitHub does not show a reader but
 * a model would read: HTML comments (also unterminated ones, which hide the
 * rest of the text), processing instructions, declarations and CDATA;
 * elements marked `hidden` or styled invisible (`display:none`,
 * `visibility:hidden`, `font-size:0`, `opacity:0`) with their content;
 * `<script>`, `<style>`, `<template>`, `<noscript>` and friends; and
 * attribute text (alt, title, data-*, ...) of every remaining tag, since it is
 * never shown inline. `<img>`, `<picture>` and `<svg>` become `[image]`.
 * Unused link reference definitions (the `[//]: # (comment)` trick) are
 * dropped. Fenced code blocks and inline code spans are kept verbatim: their
 * text is shown to readers as is. A single left-to-right scan, so a comment
 * that opens before a code fence swallows the fence exactly as GitHub does.
 */

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);
const DROP_WITH_CONTENT = new Set(["script", "style", "template", "noscript", "iframe", "object", "frameset", "noembed", "head", "title"]);
const DROP_TAG = new Set(["input", "meta", "link", "base", "source", "track", "param", "embed"]);
const IMAGE = new Set(["img", "picture", "svg"]);
const KEPT_ATTRIBUTES = new Set(["href"]);

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const HIDDEN_STYLE = /(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|(?:height|width)\s*:\s*0(?![.\d]*[1-9])[^;]*;[^"']*overflow\s*:\s*hidden)/i;
const FENCE_OPEN = /( {0,3})(`{3,}|~{3,})([^\n]*)(?:\n|$)/y;
const REFERENCE_DEFINITION = / {0,3}\[((?:[^\]\\\n]|\\.){1,999})\]:[ \t]*\S[^\n]*(?:\n|$)/y;

interface Attribute {
  name: string;
  value: string;
}

function parseAttributes(source: string): Attribute[] {
  return [...source.matchAll(ATTRIBUTE)].map((m) => ({ name: (m[1] ?? "").toLowerCase(), value: m[2] ?? m[3] ?? m[4] ?? "" }));
}

function isHidden(attributes: Attribute[]): boolean {
  return attributes.some((a) => a.name === "hidden" || (a.name === "style" && HIDDEN_STYLE.test(a.value)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Index just past the element's matching close tag (nesting counted), or the end of the text. */
function elementEnd(text: string, from: number, name: string): number {
  const tags = new RegExp(`<(/?)${escapeRegExp(name)}(?=[\\s/>])[^>]*>`, "gi");
  tags.lastIndex = from;
  let depth = 1;
  for (let m = tags.exec(text); m; m = tags.exec(text)) {
    if (m[1] === "/") depth--;
    else if (!m[0].endsWith("/>")) depth++;
    if (depth === 0) return m.index + m[0].length;
  }
  return text.length;
}

/** End of a fenced code block opened at `at` (verbatim through the closing fence, or the end). */
function fenceEnd(text: string, at: number): number | null {
  FENCE_OPEN.lastIndex = at;
  const open = FENCE_OPEN.exec(text);
  if (!open) return null;
  const marker = open[2] ?? "";
  if (marker.startsWith("`") && (open[3] ?? "").includes("`")) return null;
  const close = new RegExp(`^ {0,3}${escapeRegExp(marker[0] ?? "`")}{${marker.length},}[ \\t]*$`, "m");
  const rest = text.slice(FENCE_OPEN.lastIndex);
  const m = close.exec(rest);
  if (!m) return text.length;
  return FENCE_OPEN.lastIndex + m.index + m[0].length;
}

/** End of an inline code span opened at `at`, or null when the backticks are literal. */
function codeSpanEnd(text: string, at: number): { end: number; literal: number } {
  let run = 0;
  while (text[at + run] === "`") run++;
  const paragraphEnd = text.slice(at).search(/\n[ \t]*\n/);
  const limit = paragraphEnd === -1 ? text.length : at + paragraphEnd;
  const closer = new RegExp(`(?<!\`)\`{${run}}(?!\`)`, "g");
  closer.lastIndex = at + run;
  const m = closer.exec(text);
  if (m && m.index < limit) return { end: m.index + run, literal: 0 };
  return { end: 0, literal: run };
}

function isReferenced(text: string, label: string): boolean {
  const use = new RegExp(`\\[${escapeRegExp(label)}\\](?!:)`, "gi");
  return use.test(text);
}

/** Replacement for the markup starting with `<` at `at`, or null when the `<` is literal text. */
function markupAt(text: string, at: number): { replacement: string; end: number } | null {
  if (text.startsWith("<!--", at)) {
    const close = text.indexOf("-->", at + 2);
    return { replacement: "", end: close === -1 ? text.length : close + 3 };
  }
  if (text.startsWith("<![CDATA[", at)) {
    const close = text.indexOf("]]>", at);
    return { replacement: "", end: close === -1 ? text.length : close + 3 };
  }
  if (/^<[?!][A-Za-z?]/.test(text.slice(at, at + 3))) {
    const close = text.indexOf(">", at);
    return { replacement: "", end: close === -1 ? text.length : close + 1 };
  }
  TAG.lastIndex = at;
  const m = TAG.exec(text);
  if (!m) return null;
  const end = TAG.lastIndex;
  const closing = m[1] === "/";
  const name = (m[2] ?? "").toLowerCase();
  const selfClosing = m[4] === "/" || VOID.has(name);
  if (closing) return { replacement: IMAGE.has(name) || DROP_TAG.has(name) || DROP_WITH_CONTENT.has(name) ? "" : `</${name}>`, end };
  const attributes = parseAttributes(m[3] ?? "");
  if (IMAGE.has(name)) return { replacement: "[image]", end: selfClosing ? end : elementEnd(text, end, name) };
  if (DROP_WITH_CONTENT.has(name) || isHidden(attributes)) return { replacement: "", end: selfClosing ? end : elementEnd(text, end, name) };
  if (DROP_TAG.has(name)) return { replacement: "", end };
  const kept = attributes.filter((a) => KEPT_ATTRIBUTES.has(a.name)).map((a) => ` ${a.name}="${a.value.replace(/"/g, "&quot;")}"`);
  return { replacement: `<${name}${kept.join("")}${m[4] === "/" ? " /" : ""}>`, end };
}

/** One pass of the scanner; see the file header. */
export function stripHiddenMarkup(text: string): string {
  let out = "";
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    if (lineStart) {
      const fence = fenceEnd(text, i);
      if (fence !== null) {
        out += text.slice(i, fence);
        i = fence;
        continue;
      }
      REFERENCE_DEFINITION.lastIndex = i;
      const definition = REFERENCE_DEFINITION.exec(text);
      if (definition && !isReferenced(text, definition[1] ?? "")) {
        i = REFERENCE_DEFINITION.lastIndex;
        continue;
      }
    }
    const ch = text[i] ?? "";
    if (ch === "`") {
      const span = codeSpanEnd(text, i);
      const end = span.end > 0 ? span.end : i + span.literal;
      out += text.slice(i, end);
      i = end;
      lineStart = false;
      continue;
    }
    if (ch === "<") {
      const markup = markupAt(text, i);
      if (markup) {
        out += markup.replacement;
        i = markup.end;
        lineStart = out === "" || out.endsWith("\n");
        continue;
      }
    }
    out += ch;
    lineStart = ch === "\n";
    i++;
  }
  return out;
}
