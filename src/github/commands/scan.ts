/**
 * Finds the lines of a comment that may hold a command: lines whose first
 * non-blank character is `/` and that GitHub renders as plain text. Skipped:
 * blockquote lines (`>`), fenced code blocks (``` or ~~~ with any info string,
 * at any indentation, closed by a fence of the same character at least as
 * long; an unclosed fence runs to the end), HTML comment blocks, and line
 * starts that fall inside an inline code span or an inline HTML comment that
 * spans lines within a paragraph (backslash escapes honoured as in
 * CommonMark). Indented code blocks are not detected: a line indented by four
 * spaces still counts, as GitHub shows such lines in lists as text too.
 * A line without `>` directly under a quote counts as the author's own text
 * (CommonMark would lazily continue the quote); this follows what people mean.
 * Leading blanks are spaces, tabs and invisible format characters (zero-width
 * spaces and joiners, byte-order marks), so a line that shows `/jules` at its
 * start is read as it shows.
 *
 * This runs on the webhook path before any gate, on text anyone who can
 * comment chooses, so every step is linear in the body's length (each line is
 * read once, each paragraph's code spans and inline comments are found in one
 * pass with precomputed closers, no regular expression can backtrack past a
 * line), and only the first MAX_SCANNED_LENGTH code units are read.
 */

/**
 * How much of a body is scanned, in UTF-16 code units. GitHub refuses comment
 * bodies over 65,536 characters; counted as code points such a body can take
 * up to twice that in UTF-16, so no comment GitHub accepts is cut. Anything
 * past the cap (only possible for text that did not come through GitHub's
 * comment limit) is not read: a command that starts after it is not seen, and
 * the text of a command before it ends there.
 */
export const MAX_SCANNED_LENGTH = 131_072;

/** Cuts to MAX_SCANNED_LENGTH; CRLF and lone CR become LF; a leading byte-order mark is dropped. */
export function normalizeBody(body: string): string {
  const capped = body.length > MAX_SCANNED_LENGTH ? body.slice(0, MAX_SCANNED_LENGTH) : body;
  const text = capped.startsWith("\uFEFF") ? capped.slice(1) : capped;
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/** Index of the first character at or after `from` (before `end`) that is not a leading blank. */
function skipLeading(text: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x200b && c !== 0x200c && c !== 0x200d && c !== 0x2060 && c !== 0xfeff) break;
    i++;
  }
  return i;
}

/** Every command word and alias starts with an ASCII letter, so only `/` and a letter can start a command. */
const isAsciiLetter = (code: number): boolean => (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;

interface Fence {
  char: "`" | "~";
  length: number;
}

const OPEN_FENCE = /^(?:(`{3,})[^`]*|(~{3,}).*)$/;

function openFence(trimmed: string): Fence | null {
  const match = OPEN_FENCE.exec(trimmed);
  if (!match) return null;
  if (match[1]) return { char: "`", length: match[1].length };
  return { char: "~", length: match[2]!.length };
}

/** Whether the line's text from `start` to `end` closes `fence`. */
function closesFence(text: string, start: number, end: number, fence: Fence): boolean {
  let n = start;
  while (n < end && text[n] === fence.char) n++;
  return n - start >= fence.length && text.slice(n, end).trim() === "";
}

/**
 * Positions of `-->` (ending before `limit`) asked for at non-decreasing
 * positions: no character is searched twice, so all questions together cost
 * one pass over the text. A plain charCodeAt loop: V8's indexOf was seen to
 * take seconds on a 64 KB slice once optimized.
 */
function commentCloser(text: string, limit = text.length): (from: number) => number {
  let searchedTo = 0;
  let found = -1;
  return (from) => {
    if (found !== -1 && found >= from) return found;
    let i = Math.max(from, searchedTo);
    while (i + 2 < limit && !(text.charCodeAt(i) === 0x2d && text.charCodeAt(i + 1) === 0x2d && text.charCodeAt(i + 2) === 0x3e)) i++;
    searchedTo = i;
    found = i + 2 < limit ? i : -1;
    return found;
  };
}

/**
 * Offsets (into `text`, already normalized) of the `/` that starts each
 * candidate command line (a `/` and an ASCII letter), in order. A generator, so the first match can stop
 * the scan early. Each line is looked at once; only lines that may open or
 * close a fence are copied out of the text.
 */
export function* commandLineOffsets(text: string): Generator<number> {
  const nextCloser = commentCloser(text);
  let fence: Fence | null = null;
  let inHtmlComment = false;
  let paragraphStart = -1;
  let paragraphEnd = 0;
  let candidates: number[] = [];
  for (let offset = 0; offset <= text.length; ) {
    const end = text.indexOf("\n", offset);
    const lineEnd = end === -1 ? text.length : end;
    const start = skipLeading(text, offset, lineEnd);
    const first = text[start];
    if (fence) {
      if (first === fence.char && closesFence(text, start, lineEnd, fence)) fence = null;
    } else if (inHtmlComment) {
      const closer = nextCloser(offset);
      if (closer !== -1 && closer + 3 <= lineEnd) inHtmlComment = false;
    } else {
      const opened = first === "`" || first === "~" ? openFence(text.slice(start, lineEnd)) : null;
      const startsComment = first === "<" && text.startsWith("<!--", start);
      if (start === lineEnd || first === ">" || opened || startsComment) {
        if (candidates.length > 0) yield* visibleCandidates(text, paragraphStart, paragraphEnd, candidates);
        paragraphStart = -1;
        candidates = [];
        fence = opened;
        if (startsComment) {
          const closer = nextCloser(start + 2);
          inHtmlComment = closer === -1 || closer + 3 > lineEnd;
        }
      } else {
        if (paragraphStart === -1) paragraphStart = offset;
        paragraphEnd = lineEnd;
        if (first === "/" && isAsciiLetter(text.charCodeAt(start + 1))) candidates.push(start);
      }
    }
    if (end === -1) break;
    offset = end + 1;
  }
  if (candidates.length > 0) yield* visibleCandidates(text, paragraphStart, paragraphEnd, candidates);
}

/** The candidates of one paragraph (`text` from `from` to `to`) that no code span or inline comment hides. */
function* visibleCandidates(text: string, from: number, to: number, candidates: readonly number[]): Generator<number> {
  const hidden = hiddenRanges(text, from, to);
  let h = 0;
  for (const candidate of candidates) {
    const at = candidate;
    while (h < hidden.length && hidden[h]![1] <= at) h++;
    const range = hidden[h];
    if (range && range[0] <= at && at < range[1]) continue;
    yield candidate;
  }
}

/** Maximal backtick runs of `text` from `from` to `to`, grouped by length, each list in order. */
function backtickRuns(text: string, from: number, to: number): Map<number, number[]> {
  const runs = new Map<number, number[]>();
  for (let i = from; i < to; ) {
    if (text.charCodeAt(i) !== 0x60) {
      i++;
      continue;
    }
    let j = i;
    while (j < to && text.charCodeAt(j) === 0x60) j++;
    const list = runs.get(j - i) ?? [];
    list.push(i);
    runs.set(j - i, list);
    i = j;
  }
  return runs;
}

function firstAtOrAfter(list: number[] | undefined, position: number): number | undefined {
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < position) lo = mid + 1;
    else hi = mid;
  }
  return list[lo];
}

/**
 * `[start, end)` ranges of the paragraph `text` from `from` to `to` (offsets
 * into `text`) that GitHub renders as code or hides (inline HTML comments),
 * found left to right as CommonMark does: a backtick run opens a span closed
 * by the next run of exactly the same length. Linear: closers are looked up in
 * precomputed lists, and the next `-->` is searched for only past the last
 * search (an unclosed `<!--` costs one search for the whole paragraph, not one
 * per opener). Characters are read with charCodeAt on the whole text: no
 * slices, no string search builtins.
 */
export function hiddenRanges(text: string, from = 0, to = text.length): [number, number][] {
  const runs = backtickRuns(text, from, to);
  const nextCloser = commentCloser(text, to);
  const ranges: [number, number][] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      i += 2;
    } else if (c === 0x60) {
      let j = i;
      while (j < to && text.charCodeAt(j) === 0x60) j++;
      const n = j - i;
      const close = firstAtOrAfter(runs.get(n), j);
      if (close === undefined) {
        i = j;
      } else {
        ranges.push([i, close + n]);
        i = close + n;
      }
    } else if (c === 0x3c && text.startsWith("<!--", i) && i + 4 <= to) {
      const closer = nextCloser(i + 4);
      const end = text.startsWith("<!-->", i) ? i + 5 : text.startsWith("<!--->", i) ? i + 6 : closer === -1 ? -1 : closer + 3;
      if (end === -1 || end > to) {
        i += 4;
      } else {
        ranges.push([i, end]);
        i = end;
      }
    } else {
      i++;
    }
  }
  return ranges;
}
