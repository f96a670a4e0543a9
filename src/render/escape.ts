/**
 * Makes untrusted text (from people, the model, error messages) safe to put
 * into a comment the app posts. Neutralising is context-free, so it holds
 * inside code spans and blocks as well as in prose, with no markdown parsing
 * to get wrong: a zero-width space (U+200B) goes after every `<` that could
 * open HTML, a comment or a fake marker (`<!--`), after every `@` that could
 * mention someone, and after every `&` that could start an entity (`&#64;`).
 * The result renders the same to a reader. Bidi and control characters are
 * removed. `inline` also collapses line breaks; `cell` escapes `|` for
 * tables; `block` closes a code fence the text left open; `code` wraps text
 * in a code span that its own backticks cannot end.
 */
import { clip } from "./limits.ts";
import { formatCount } from "./format.ts";

export const ZWSP = "\u200b";

// C0 controls except tab and newline, DEL, C1 controls, bidi embeddings, overrides and isolates.
const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const HTML_START = /<(?=[A-Za-z/!?])/g;
const MENTION = /@(?=[A-Za-z0-9_])/g;
const ENTITY = /&(?=#?[A-Za-z0-9]+;)/g;

export function neutralize(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(UNSAFE_CHARS, "").replace(HTML_START, `<${ZWSP}`).replace(MENTION, `@${ZWSP}`).replace(ENTITY, `&${ZWSP}`);
}

/** One line of prose: neutralised, whitespace runs collapsed, cut to `max` characters. */
export function inline(text: string, max: number): string {
  return clip(neutralize(text).replace(/\s+/g, " ").trim(), max);
}

/** Escapes `|` for a table cell (GitHub needs this inside code spans too). */
export function tableSafe(markdown: string): string {
  return markdown.replace(/\|/g, "\\|");
}

/** A table cell of prose: like `inline`, with `|` escaped. */
export function cell(text: string, max: number): string {
  return tableSafe(inline(text, max));
}

const COMMAND_WORD = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;

/** The configured command word if it is a valid one (jules.yml validates it), else `jules`. */
export function commandWord(command: string): string {
  return COMMAND_WORD.test(command) ? command : "jules";
}

/** A code span holding `text` on one line, e.g. a file path or a branch name. */
export function code(text: string, max = 300): string {
  const body = inline(text, max);
  if (body === "") return "` `";
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The fence a text leaves open at its end (CommonMark top-level rules), or null. */
export function openFenceAtEnd(text: string): string | null {
  let open: string | null = null;
  for (const line of text.split("\n")) {
    const match = FENCE.exec(line);
    if (!match) continue;
    const run = match[1]!;
    if (open === null) {
      if (!(run[0] === "`" && line.slice(match[0].length).includes("`"))) open = run;
    } else if (run[0] === open[0] && run.length >= open.length && line.slice(match[0].length).trim() === "") {
      open = null;
    }
  }
  return open;
}

/**
 * Multi-line markdown from someone else: neutralised, cut to `max`
 * characters (with a note), trailing space trimmed, and an open fence closed
 * so it cannot swallow what follows.
 */
export function block(text: string, max: number): string {
  const safe = neutralize(text)
    .trimEnd()
    .replace(/^\s*\n/, ""); // trimEnd, not /\s+$/: that backtracks quadratically on inner whitespace
  const cut = safe.length > max;
  let body = clip(safe, max);
  const fence = openFenceAtEnd(body);
  if (fence) body += `\n${fence}`;
  return cut ? `${body}\n\n_(cut to ${formatCount(max)} characters)_` : body;
}

/** Indents every non-empty line, to nest a block inside a list item. */
export function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : prefix + line))
    .join("\n");
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** A GitHub login shown without notifying anyone: `@<ZWSP>login`. */
export function user(login: string): string {
  return `@${ZWSP}${inline(login, 60)}`;
}

/** A real mention of a GitHub login (the person a reply answers); anything that is not a login is shown neutralised. */
export function mention(login: string): string {
  return LOGIN.test(login) ? `@${login}` : user(login);
}

/** A markdown link to an http(s) URL; anything else becomes plain text. */
export function link(label: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return label;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return label;
  const safe = parsed.href.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `[${label}](${safe})`;
}
