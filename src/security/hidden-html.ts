import { collectLabels, definitionAt, inlineTailAt, labelAt, normalizeLabel } from "./markdown-links.ts";

/**
 * Removes the parts of a markdown text that GitHub does not show a reader but
 * a model would read: HTML comments (also unterminated ones, which hide the
 * rest of the text), processing instructions, declarations and CDATA;
 * elements marked `hidden` or styled invisible (`display:none`,
 * `visibility:hidden`, `font-size:0`, `opacity:0`) with their content;
 * `<script>`, `<style>`, `<template>`, `<noscript>` and friends; and
 * attribute text (alt, title, data-*, ...) of every remaining tag, since it is
 * never shown inline. `<img>`, `<picture>` and `<svg>` become `[image]`, and
 * so do Markdown images (`![alt](src "title")`, `![alt][ref]`), whose alt text
 * and title are not shown. Link titles (`[text](url "title")`, shown only on
 * hover) are dropped, and links that show no text (`[](url)`) are dropped
 * whole. Reference definitions are never shown: unused ones (the
 * `[//]: # (comment)` trick) are dropped, used ones keep label and
 * destination only. Fenced code blocks and inline code spans are kept
 * verbatim: their text is shown to readers as is; but not inside an HTML
 * block (a line opening with a block-level or lone tag, up to a blank line),
 * where GitHub passes backticks through as HTML, and a backslash-escaped
 * backtick opens nothing. A single left-to-right scan, so a comment that
 * opens before a code fence swallows the fence exactly as GitHub does.
 *
 * Linear on hostile input (issue bodies are up to 65,536 characters and a
 * repository's instruction files larger): every search for a closer either
 * moves the scan past what it read or is answered from an index computed
 * once (backtick runs, blank lines, labels), and no regular expression can
 * backtrack over more than one bounded construct.
 */

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);
const DROP_WITH_CONTENT = new Set(["script", "style", "template", "noscript", "iframe", "object", "frameset", "noembed", "head", "title"]);
const DROP_TAG = new Set(["input", "meta", "link", "base", "source", "track", "param", "embed"]);
const IMAGE = new Set(["img", "picture", "svg"]);
const KEPT_ATTRIBUTES = new Set(["href"]);

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]{0,2000}"|'[^']{0,2000}'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const HIDDEN_STYLE = /(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9]))/i;
/** Zero height or width with overflow hidden, in either order (two searches, not one backtracking pattern). */
const ZERO_SIZE = /(?:height|width)\s*:\s*0(?![.\d]*[1-9])/i;
const OVERFLOW_HIDDEN = /overflow\s*:\s*hidden/i;
const BLOCK_TAGS =
  "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul";
/** CommonMark HTML block starts: kinds 1 (up to the closing tag) and 6 (up to a blank line). */
const COMMENT_BLOCK_START = / {0,3}<!--/y;
const RAW_BLOCK_START = / {0,3}<(pre|script|style|textarea)(?=[\s>]|$)/iy;
const HTML_BLOCK_START = new RegExp(` {0,3}</?(?:${BLOCK_TAGS})(?=[\\s/>]|$)`, "iy");
const LONE_TAG_REST = /[ \t]*(?:\n|$)/y;
const PLAIN_RUN = /[^\\`<!\[\]\n]+/y;
const ESCAPABLE = new Set(["[", "]", "!", "`", "\\", "(", ")"]);

/** What follows an `<a ...>` that shows nothing: only spaces, then `</a>`. */
const EMPTY_ANCHOR_REST = /[ \t]*<\/a\s*>/iy;

const FENCE_OPEN = /( {0,3})(`{3,}|~{3,})([^\n]*)(?:\n|$)/y;
/** A line that looks like a definition but is not one (`[x]: a b`): dropped when its label is unused. */
const LOOSE_DEFINITION = / {0,3}\[([^\[\]\n]{1,999})\]:[ \t]*\S[^\n]*(?:\n|$)/y;

interface Attribute {
  name: string;
  value: string;
}

function parseAttributes(source: string): Attribute[] {
  return [...source.matchAll(ATTRIBUTE)].map((m) => ({ name: (m[1] ?? "").toLowerCase(), value: m[2] ?? m[3] ?? m[4] ?? "" }));
}

function isHidden(attributes: Attribute[]): boolean {
  return attributes.some((a) => a.name === "hidden" || (a.name === "style" && (HIDDEN_STYLE.test(a.value) || (ZERO_SIZE.test(a.value) && OVERFLOW_HIDDEN.test(a.value)))));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Index just past the element's matching close tag (nesting counted), or the
 * end of the text. A tag's end is the next `>`, found with one search: when
 * there is none, no later tag can end either, and the rest of the text is the
 * element's.
 */
function elementEnd(text: string, from: number, name: string): number {
  const tags = new RegExp(`<(/?)${escapeRegExp(name)}(?=[\\s/>])`, "gi");
  tags.lastIndex = from;
  let depth = 1;
  for (let m = tags.exec(text); m; m = tags.exec(text)) {
    const close = text.indexOf(">", m.index);
    if (close === -1) return text.length;
    if (m[1] === "/") depth--;
    else if (text[close - 1] !== "/") depth++;
    if (depth === 0) return close + 1;
    tags.lastIndex = close + 1;
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
 * cross one), and the labels that links use and define.
 */
interface TextIndex {
  runs: Map<number, number[]>;
  blankLines: number[];
  used: Set<string>;
  defined: Set<string>;
}

function indexText(text: string): TextIndex {
  const runs = new Map<number, number[]>();
  for (const m of text.matchAll(/`+/g)) {
    const starts = runs.get(m[0].length) ?? [];
    starts.push(m.index);
    runs.set(m[0].length, starts);
  }
  const blankLines = [...text.matchAll(/\n[ \t]*\n/g)].map((m) => m.index);
  return { runs, blankLines, ...collectLabels(text) };
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
  if (name === "a" && !selfClosing) {
    EMPTY_ANCHOR_REST.lastIndex = end;
    if (EMPTY_ANCHOR_REST.test(text)) return { replacement: "", end: EMPTY_ANCHOR_REST.lastIndex }; // a link that shows nothing
  }
  if (attributes.length === 0) return { replacement: m[0], end }; // nothing hidden in it: keep as written (`Promise<Config>`)
  const kept = attributes.filter((a) => KEPT_ATTRIBUTES.has(a.name)).map((a) => ` ${a.name}="${a.value.replace(/"/g, "&quot;")}"`);
  return { replacement: `<${m[2] ?? name}${kept.join("")}${m[4] === "/" ? " /" : ""}>`, end };
}

/**
 * HTML block starting at the line start `at`: -1 for none, Infinity for one
 * that ends at a blank line, or the index where it ends: a raw block
 * (`<pre>`, `<script>`, `<style>`, `<textarea>`) at its closing tag, a
 * comment block at the end of the line holding `-->`.
 */
function htmlBlockAt(text: string, at: number): number {
  COMMENT_BLOCK_START.lastIndex = at;
  if (COMMENT_BLOCK_START.test(text)) {
    const close = text.indexOf("-->", COMMENT_BLOCK_START.lastIndex - 2);
    const lineEnd = close === -1 ? -1 : text.indexOf("\n", close);
    return lineEnd === -1 ? text.length : lineEnd;
  }
  RAW_BLOCK_START.lastIndex = at;
  const raw = RAW_BLOCK_START.exec(text);
  if (raw) {
    const close = new RegExp(`</${raw[1]}>`, "ig");
    close.lastIndex = RAW_BLOCK_START.lastIndex;
    const m = close.exec(text);
    return m ? m.index + m[0].length : text.length;
  }
  HTML_BLOCK_START.lastIndex = at;
  if (HTML_BLOCK_START.test(text)) return Number.POSITIVE_INFINITY;
  let i = at;
  while (i < at + 3 && text[i] === " ") i++;
  TAG.lastIndex = i;
  if (!TAG.test(text)) return -1;
  LONE_TAG_REST.lastIndex = TAG.lastIndex;
  return LONE_TAG_REST.test(text) ? Number.POSITIVE_INFINITY : -1;
}

/** The first character at `at` after spaces and tabs ("" at the end of the text). */
function firstNonBlank(text: string, at: number): string {
  let i = at;
  while (text[i] === " " || text[i] === "\t") i++;
  return text[i] ?? "";
}

/** A `[` or `![` waiting for its `]`: where it is in the text and in the output. */
interface Opener {
  image: boolean;
  /** Index of the `[` in the text. */
  at: number;
  /** Index in the output parts of the part holding `[` or `![`. */
  part: number;
}

/** One pass of the scanner; see the file header. */
export function stripHiddenMarkup(text: string): string {
  const index = indexText(text);
  const out: string[] = [];
  const openers: Opener[] = [];
  let inactiveBelow = 0; // link openers below this depth cannot form links (links do not nest)
  let lastBracket = -1;
  let htmlBlock = -1;
  let lineStart = true; // the output is at a line start (a removed construct keeps it there)
  let i = 0;
  const resetInline = () => {
    openers.length = 0;
    inactiveBelow = 0;
  };
  while (i < text.length) {
    const inputLineStart = i === 0 || text[i - 1] === "\n";
    const lead = inputLineStart || lineStart ? firstNonBlank(text, i) : "";
    if (inputLineStart) {
      if (lead === "\n" || lead === "") {
        resetInline();
        if (htmlBlock === Number.POSITIVE_INFINITY) htmlBlock = -1;
      }
      if (htmlBlock !== -1 && htmlBlock !== Number.POSITIVE_INFINITY && i >= htmlBlock) htmlBlock = -1;
      if (htmlBlock === -1 && (lead === "`" || lead === "~")) {
        const fence = fenceEnd(text, i);
        if (fence !== null) {
          out.push(text.slice(i, fence));
          i = fence;
          resetInline();
          continue;
        }
      }
    }
    if (lineStart && lead === "[") {
      const definition = definitionAt(text, i);
      if (definition) {
        if (index.used.has(definition.label))
          out.push(
            `[${text.slice(text.indexOf("[", i) + 1, text.indexOf("]:", i))}]: ${definition.destination}${definition.end > 0 && text[definition.end - 1] === "\n" ? "\n" : ""}`,
          );
        i = definition.end;
        continue;
      }
      LOOSE_DEFINITION.lastIndex = i;
      const loose = LOOSE_DEFINITION.exec(text);
      if (loose && !index.used.has(normalizeLabel(loose[1] ?? ""))) {
        i = LOOSE_DEFINITION.lastIndex;
        continue;
      }
    }
    if (inputLineStart && htmlBlock === -1 && lead === "<") htmlBlock = htmlBlockAt(text, i);
    const ch = text[i] ?? "";
    if (ch === "\\" && ESCAPABLE.has(text[i + 1] ?? "")) {
      out.push(text.slice(i, i + 2));
      i += 2;
      lineStart = false;
      continue;
    }
    if (ch === "`" && htmlBlock === -1) {
      let run = 0;
      while (text[i + run] === "`") run++;
      const end = codeSpanEnd(index, i, run) ?? i + run;
      out.push(text.slice(i, end));
      i = end;
      lineStart = false;
      continue;
    }
    if (ch === "<") {
      const markup = markupAt(text, i);
      if (markup) {
        out.push(markup.replacement);
        i = markup.end;
        if (markup.replacement !== "") lineStart = markup.replacement.endsWith("\n");
        continue;
      }
    }
    if (ch === "[" || (ch === "!" && text[i + 1] === "[")) {
      const image = ch === "!";
      openers.push({ image, at: image ? i + 1 : i, part: out.length });
      out.push(image ? "![" : "[");
      i += image ? 2 : 1;
      lastBracket = i - 1;
      lineStart = false;
      continue;
    }
    if (ch === "]") {
      const end = closeBracket(text, i);
      if (end === null) {
        out.push("]");
        i++;
      } else i = end;
      lastBracket = i - 1;
      lineStart = false;
      continue;
    }
    if (ch === "\n") {
      out.push("\n");
      i++;
      lineStart = true;
      continue;
    }
    PLAIN_RUN.lastIndex = i;
    const plain = PLAIN_RUN.test(text) ? PLAIN_RUN.lastIndex : i + 1;
    out.push(text.slice(i, plain));
    i = plain;
    lineStart = false;
  }
  return out.join("");

  /** Handles the `]` at `at` as CommonMark does; the index after the link or image it closes, or null when it is literal. */
  function closeBracket(source: string, at: number): number | null {
    const opener = openers.pop();
    if (!opener) return null;
    const bare = lastBracket === opener.at; // no bracket between: the text may be a label
    const inactive = openers.length < inactiveBelow;
    inactiveBelow = Math.min(inactiveBelow, openers.length);
    if (!opener.image && inactive) return null;
    let end = -1;
    let tail = "";
    if (source[at + 1] === "(") {
      const inline = inlineTailAt(source, at + 1);
      if (inline) {
        end = inline.end;
        tail = `(${inline.destination})`;
      }
    }
    if (end === -1 && source[at + 1] === "[") {
      const reference = labelAt(source, at + 1);
      const label = reference && (reference.label !== "" ? reference.label : bare ? normalizeLabel(source.slice(opener.at + 1, at)) : null);
      if (reference && label !== null && index.defined.has(label)) {
        end = reference.end;
        tail = source.slice(at + 1, reference.end);
      }
    }
    if (end === -1 && bare && at - opener.at - 1 <= 999 && index.defined.has(normalizeLabel(source.slice(opener.at + 1, at)))) end = at + 1;
    if (end === -1) return null;
    if (opener.image) {
      out.length = opener.part;
      out.push("[image]");
      return end;
    }
    if (
      out
        .slice(opener.part + 1)
        .join("")
        .trim() === ""
    ) {
      out.length = opener.part;
    } else {
      out.push(`]${tail}`);
      inactiveBelow = openers.length;
    }
    return end;
  }
}
