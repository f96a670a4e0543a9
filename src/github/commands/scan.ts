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
 */

/** CRLF and lone CR become LF; a leading byte-order mark is dropped. */
export function normalizeBody(body: string): string {
  const text = body.startsWith("\uFEFF") ? body.slice(1) : body;
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

const LEADING = /^[ \t\u200b\u200c\u200d\u2060\ufeff]*/;
const leadingLength = (line: string): number => LEADING.exec(line)![0].length;

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

function closesFence(trimmed: string, fence: Fence): boolean {
  let n = 0;
  while (trimmed[n] === fence.char) n++;
  return n >= fence.length && trimmed.slice(n).trim() === "";
}

interface Line {
  offset: number;
  text: string;
}

/**
 * Offsets (into `text`, already normalized) of the `/` that starts each
 * candidate command line, in order. A generator, so the first match can stop
 * the scan early.
 */
export function* commandLineOffsets(text: string): Generator<number> {
  let fence: Fence | null = null;
  let inHtmlComment = false;
  let paragraph: Line[] = [];
  let offset = 0;
  while (offset <= text.length) {
    const end = text.indexOf("\n", offset);
    const lineEnd = end === -1 ? text.length : end;
    const line = text.slice(offset, lineEnd);
    const trimmed = line.slice(leadingLength(line));
    if (fence) {
      if (closesFence(trimmed, fence)) fence = null;
    } else if (inHtmlComment) {
      if (line.includes("-->")) inHtmlComment = false;
    } else {
      const opened = trimmed === "" || trimmed.startsWith(">") ? null : openFence(trimmed);
      const startsComment = trimmed.startsWith("<!--");
      if (trimmed === "" || trimmed.startsWith(">") || opened || startsComment) {
        yield* paragraphCommands(text, paragraph);
        paragraph = [];
        fence = opened;
        inHtmlComment = startsComment && !trimmed.includes("-->", 2);
      } else {
        paragraph.push({ offset, text: line });
      }
    }
    if (end === -1) break;
    offset = end + 1;
  }
  yield* paragraphCommands(text, paragraph);
}

function* paragraphCommands(text: string, lines: Line[]): Generator<number> {
  const candidates: number[] = [];
  for (const line of lines) {
    const indent = leadingLength(line.text);
    if (line.text[indent] === "/") candidates.push(line.offset + indent);
  }
  if (candidates.length === 0) return;
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  const hidden = hiddenRanges(text.slice(first.offset, last.offset + last.text.length));
  let h = 0;
  for (const candidate of candidates) {
    const at = candidate - first.offset;
    while (h < hidden.length && hidden[h]![1] <= at) h++;
    const range = hidden[h];
    if (range && range[0] <= at && at < range[1]) continue;
    yield candidate;
  }
}

/** Maximal backtick runs of a paragraph, grouped by length, each list in order. */
function backtickRuns(p: string): Map<number, number[]> {
  const runs = new Map<number, number[]>();
  for (let i = 0; i < p.length; ) {
    if (p[i] !== "`") {
      i++;
      continue;
    }
    let j = i;
    while (p[j] === "`") j++;
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
 * `[start, end)` ranges of a paragraph that GitHub renders as code or hides
 * (inline HTML comments), found left to right as CommonMark does: a backtick
 * run opens a span closed by the next run of exactly the same length.
 */
export function hiddenRanges(p: string): [number, number][] {
  const runs = backtickRuns(p);
  const ranges: [number, number][] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === "\\") {
      i += 2;
    } else if (c === "`") {
      let j = i;
      while (p[j] === "`") j++;
      const n = j - i;
      const close = firstAtOrAfter(runs.get(n), j);
      if (close === undefined) {
        i = j;
      } else {
        ranges.push([i, close + n]);
        i = close + n;
      }
    } else if (c === "<" && p.startsWith("<!--", i)) {
      const end = p.startsWith("<!-->", i) ? i + 5 : p.startsWith("<!--->", i) ? i + 6 : p.indexOf("-->", i + 4) + 3;
      if (end < 3) {
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
