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

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]{0,2000}"|'[^']{0,2000}'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
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

/** First value in a sorted list greater than `after` (binary search), or undefined. */
function firstAfter(sorted: readonly number[], after: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) <= after) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}

/**
 * Facts about the whole text computed once, so the scan stays linear on
 * hostile input: backtick runs by length, blank lines (a code span cannot
 * cross one), and the labels that links refer to.
 */
interface TextIndex {
  runs: Map<number, number[]>;
  blankLines: number[];
  referenced: Set<string>;
}

function indexText(text: string): TextIndex {
  const runs = new Map<number, number[]>();
  for (const m of text.matchAll(/`+/g)) {
    const starts = runs.get(m[0].length) ?? [];
    starts.push(m.index);
    runs.set(m[0].length, starts);
  }
  const blankLines = [...text.matchAll(/\n[ \t]*\n/g)].map((m) => m.index);
  const referenced = new Set([...text.matchAll(/\[((?:[^\]\\\n]|\\.){1,999})\](?!:)/g)].map((m) => (m[1] ?? "").toLowerCase()));
  return { runs, blankLines, referenced };
}

/** End of an inline code span opened by the backtick run at `at`, or null when the backticks are literal. */
function codeSpanEnd(index: TextIndex, at: number, run: number): number | null {
  const limit = firstAfter(index.blankLines, at) ?? Number.POSITIVE_INFINITY;
  const closer = firstAfter(index.runs.get(run) ?? [], at);
  return closer !== undefined && closer < limit ? closer + run : null;
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
  if (closing) return { replacement: IMAGE.has(name) || DROP_TAG.has(name) || DROP_WITH_CONTENT.has(name) ? "" : m[0], end };
  const attributes = parseAttributes(m[3] ?? "");
  if (IMAGE.has(name)) return { replacement: "[image]", end: selfClosing ? end : elementEnd(text, end, name) };
  if (DROP_WITH_CONTENT.has(name) || isHidden(attributes)) return { replacement: "", end: selfClosing ? end : elementEnd(text, end, name) };
  if (DROP_TAG.has(name)) return { replacement: "", end };
  if (attributes.length === 0) return { replacement: m[0], end }; // nothing hidden in it: keep as written (`Promise<Config>`)
  const kept = attributes.filter((a) => KEPT_ATTRIBUTES.has(a.name)).map((a) => ` ${a.name}="${a.value.replace(/"/g, "&quot;")}"`);
  return { replacement: `<${m[2] ?? name}${kept.join("")}${m[4] === "/" ? " /" : ""}>`, end };
}

/** One pass of the scanner; see the file header. */
export function stripHiddenMarkup(text: string): string {
  const index = indexText(text);
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
      if (definition && !index.referenced.has((definition[1] ?? "").toLowerCase())) {
        i = REFERENCE_DEFINITION.lastIndex;
        continue;
      }
    }
    const ch = text[i] ?? "";
    if (ch === "`") {
      let run = 0;
      while (text[i + run] === "`") run++;
      const end = codeSpanEnd(index, i, run) ?? i + run;
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
