/**
 * The parts of CommonMark links that hide text from a reader: link titles
 * (shown only on hover), image alt text and reference definitions (never
 * shown). Parsers for an inline link's `(destination "title")`, a reference
 * label `[label]` and a definition line `[label]: destination "title"`, each
 * reading forward from a given position without backtracking; and one pass
 * over a text collecting the labels it uses and defines.
 *
 * Linear on hostile input: a destination may nest parentheses at most 32 deep
 * (as cmark), so one character is read by at most 33 destinations; a title
 * ends at its closing quote or a blank line; labels are at most 999
 * characters and contain no brackets.
 */

const MAX_LABEL = 999;
const MAX_PAREN_DEPTH = 32;

/** Label as CommonMark compares them: trimmed, inner whitespace collapsed, case-folded. */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, " ").toLowerCase();
}

const isAsciiPunctuation = (c: number): boolean => (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
const isSpaceOrTab = (c: number): boolean => c === 0x20 || c === 0x09;

/** Skips spaces and tabs with at most one line break; -1 when a blank line follows. */
function skipSpace(text: string, from: number): number {
  let i = from;
  let breaks = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      if (++breaks > 1) return -1;
    } else if (!isSpaceOrTab(c)) break;
    i++;
  }
  return i;
}

/** A destination at `at`: `<...>` or a run of non-blank characters with balanced parentheses. */
function destinationAt(text: string, at: number): { end: number; destination: string } | null {
  if (text[at] === "<") {
    let j = at + 1;
    while (j < text.length && text[j] !== ">" && text[j] !== "<" && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
    return text[j] === ">" ? { end: j + 1, destination: text.slice(at, j + 1) } : null;
  }
  let j = at;
  let depth = 0;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c <= 0x20 || c === 0x7f) break;
    if (c === 0x5c && isAsciiPunctuation(text.charCodeAt(j + 1))) {
      j += 2;
      continue;
    }
    if (c === 0x28 && ++depth > MAX_PAREN_DEPTH) return null;
    if (c === 0x29 && depth-- === 0) break;
    j++;
  }
  if (depth > 0) return null;
  return { end: j, destination: text.slice(at, j) };
}

/** Whether the line after the line break at `at` is blank. */
function blankLineFollows(text: string, at: number): boolean {
  let k = at + 1;
  while (isSpaceOrTab(text.charCodeAt(k))) k++;
  return k >= text.length || text[k] === "\n";
}

/** A title at `at` (`"…"`, `'…'` or `(…)`), ending before a blank line; the index after it, or -1. */
function titleEnd(text: string, at: number): number {
  const open = text[at];
  const close = open === "(" ? ")" : open;
  if (open !== '"' && open !== "'" && open !== "(") return -1;
  for (let j = at + 1; j < text.length; j++) {
    const c = text[j];
    if (c === close) return j + 1;
    if (c === "\\") j++;
    else if (open === "(" && c === "(") return -1;
    else if (c === "\n" && blankLineFollows(text, j)) return -1;
  }
  return -1;
}

/**
 * An inline link's tail `(destination "title")` starting at `at` (the `(`):
 * the index after the `)` and the destination as written, or null when the
 * text there is not a link tail.
 */
export function inlineTailAt(text: string, at: number): { end: number; destination: string } | null {
  let i = skipSpace(text, at + 1);
  if (i === -1) return null;
  let destination = "";
  if (text[i] !== ")") {
    const found = destinationAt(text, i);
    if (!found) return null;
    destination = found.destination;
    i = found.end;
  }
  const spaced = skipSpace(text, i);
  if (spaced === -1) return null;
  if (spaced > i || destination === "") {
    const end = titleEnd(text, spaced);
    i = end === -1 ? spaced : skipSpace(text, end);
    if (i === -1) return null;
  } else i = spaced;
  return text[i] === ")" ? { end: i + 1, destination } : null;
}

/** A label `[…]` at `at` (no brackets inside, at most 999 characters): its normalized text and the index after it. */
export function labelAt(text: string, at: number): { end: number; label: string } | null {
  if (text[at] !== "[") return null;
  for (let j = at + 1; j < text.length && j - at - 1 <= MAX_LABEL; j++) {
    const c = text[j];
    if (c === "]") return { end: j + 1, label: normalizeLabel(text.slice(at + 1, j)) };
    if (c === "[") return null;
    if (c === "\\") j++;
  }
  return null;
}

export interface Definition {
  label: string;
  destination: string;
  /** The index after the definition's line break (or the end of the text). */
  end: number;
}

/** A link reference definition starting at the line start `at`, title included (also on the next line). */
export function definitionAt(text: string, at: number): Definition | null {
  let i = at;
  while (i < at + 3 && text[i] === " ") i++;
  const label = labelAt(text, i);
  if (!label || label.label === "" || label.label.startsWith("^") || text[label.end] !== ":") return null;
  i = skipSpace(text, label.end + 1);
  if (i === -1) return null;
  const found = destinationAt(text, i);
  if (!found || (found.destination === "" && text[i] !== "<")) return null;
  const lineEnd = (from: number): number => {
    let j = from;
    while (isSpaceOrTab(text.charCodeAt(j))) j++;
    if (j >= text.length) return text.length;
    return text[j] === "\n" ? j + 1 : -1;
  };
  const spaced = skipSpace(text, found.end);
  if (spaced !== -1 && spaced > found.end) {
    const end = titleEnd(text, spaced);
    const after = end === -1 ? -1 : lineEnd(end);
    if (after !== -1) return { label: label.label, destination: found.destination, end: after };
  }
  const after = lineEnd(found.end);
  return after === -1 ? null : { label: label.label, destination: found.destination, end: after };
}

/**
 * The labels a text uses (`[x]`, `[t][x]`, `[x][]`: every bracketed text
 * without brackets inside) and the ones it defines (`[x]:` at a line start),
 * in one pass. Over-approximate on purpose: a label counted as used keeps its
 * definition (without title), a label counted as defined makes `![x]` an image.
 */
export function collectLabels(text: string): { used: Set<string>; defined: Set<string> } {
  const used = new Set<string>();
  const defined = new Set<string>();
  let open = -1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x0a) {
      open = -1;
      lineStart = i + 1;
    } else if (c === 0x5b) open = i;
    else if (c === 0x5d && open !== -1) {
      if (i - open - 1 <= MAX_LABEL) {
        const label = normalizeLabel(text.slice(open + 1, i));
        const atLineStart = open - lineStart <= 3 && text.slice(lineStart, open).trim() === "";
        (atLineStart && text[i + 1] === ":" ? defined : used).add(label);
      }
      open = -1;
    }
  }
  return { used, defined };
}
