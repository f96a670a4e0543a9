/**
 * The comment parser: turns a comment body into a `JulesCommand` or null.
 *
 * Grammar (command words case-insensitive; `/jules` stands for the configured
 * word): the first line that `scan.ts` lets through and that starts with one
 * of our words wins. A word ends at whitespace or the end of the line, so
 * `/approved`, `/julesfoo` and `/jules-x` are not ours.
 *   /jules                      start, the issue itself is the task
 *   /jules <text>               start; text = rest of the line and all following lines, trimmed
 *   /jules --base <branch> [text]   start on another base branch (`--base=<branch>` too);
 *                               a missing or invalid branch → unknown "--base"
 *   /jules status | help | pause | fix-ci   exactly that word (a trailing . ! or ? is tolerated)
 *   /jules resume [budget]      resume a paused task; the budget starts with `$` or a digit
 *                               ("$2", "20 turns"); `/jules resume <other text>` is a start
 *   /jules ask <question>       a question, answered without changing code; the question is
 *                               the rest of the line and all following lines; `/jules ask`
 *                               alone → unknown "ask"
 *   /jules approve|revise|cancel …   aliases of the slash commands below
 *   /jules <word>               one lowercase word (letters, dashes, ≤ 24) that is not a
 *                               subcommand → unknown <word>, answered with help
 *   /approve [note]   /revise <feedback>   /cancel [reason]
 *                               `/revise` without feedback → unknown "revise"
 * Texts are cut at MAX_COMMAND_TEXT characters. Only the first
 * MAX_SCANNED_LENGTH code units of a body are read (see scan.ts), and every
 * step is linear in the body's length: this runs on the webhook path.
 */
import { MAX_COMMAND_TEXT, MAX_UNKNOWN_WORD, type JulesCommand } from "./command.ts";
import { isValidBranchName } from "./branch-name.ts";
import { commandLineOffsets, normalizeBody } from "./scan.ts";

export interface ParseOptions {
  /** The command word from `.github/jules.yml` (`command`), without the slash. */
  command: string;
}

const ALIASES = ["approve", "revise", "cancel"] as const;
type Alias = (typeof ALIASES)[number];
const ALIAS_LENGTHS = new Set(ALIASES.map((a) => a.length));
const isAlias = (word: string): word is Alias => (ALIASES as readonly string[]).includes(word);

const TOKEN = /\/(\S*)/y;
const UNKNOWN_WORD = new RegExp(`^[a-z][a-z-]{0,${MAX_UNKNOWN_WORD - 1}}$`);

/**
 * Cheap pre-filter for the webhook path, usable before the repository's
 * command word is known: true iff some candidate line starts with `/` and a
 * letter. When it is false, `parseCommand` returns null for any command word.
 */
export function mentionsCommand(body: string): boolean {
  if (!body.includes("/")) return false;
  const text = normalizeBody(body);
  for (const _ of commandLineOffsets(text)) return true;
  return false;
}

export function parseCommand(body: string, options: ParseOptions): JulesCommand | null {
  if (!body.includes("/")) return null;
  const command = asciiLower(options.command);
  const text = normalizeBody(body);
  for (const slash of commandLineOffsets(text)) {
    TOKEN.lastIndex = slash;
    const token = TOKEN.exec(text)?.[1] ?? "";
    if (token.length !== command.length && !ALIAS_LENGTHS.has(token.length)) continue;
    const word = asciiLower(token);
    const rest = text.slice(slash + 1 + token.length);
    if (word === command) return jules(rest);
    if (isAlias(word)) return alias(word, rest);
  }
  return null;
}

function jules(rest: string): JulesCommand {
  const all = rest.trim();
  if (all === "") return { kind: "start", text: "", base: null };
  const bare = asciiLower(withoutTrailingPunctuation(all));
  if (bare === "status") return { kind: "status" };
  if (bare === "help") return { kind: "help" };
  if (bare === "pause") return { kind: "pause" };
  if (bare === "fix-ci") return { kind: "fix_ci" };
  if (bare === "resume") return { kind: "resume", budget: "" };
  const [first, remainder] = splitFirst(all);
  const word = asciiLower(first);
  if (isAlias(word)) return alias(word, remainder);
  if (word === "resume" && /^[$\d]/.test(remainder)) return { kind: "resume", budget: clip(remainder) };
  if (word === "ask") return remainder ? { kind: "ask", question: clip(remainder) } : { kind: "unknown", word: "ask" };
  if (word === "--base" || word.startsWith("--base=")) return withBase(first, remainder);
  if (UNKNOWN_WORD.test(all)) return { kind: "unknown", word: all };
  return { kind: "start", text: clip(all), base: null };
}

function withBase(first: string, remainder: string): JulesCommand {
  const inline = first.slice("--base".length);
  const [branch, instruction] = inline.startsWith("=") ? [inline.slice(1), remainder] : splitFirst(remainder);
  if (!isValidBranchName(branch)) return { kind: "unknown", word: "--base" };
  return { kind: "start", text: clip(instruction), base: branch };
}

function alias(word: Alias, rest: string): JulesCommand {
  const text = clip(rest.trim());
  switch (word) {
    case "approve":
      return { kind: "approve", note: text };
    case "revise":
      return text === "" ? { kind: "unknown", word: "revise" } : { kind: "revise", feedback: text };
    case "cancel":
      return { kind: "cancel", reason: text };
  }
}

/** Text without its trailing run of . ! ? (a loop: `/[.!?]+$/` backtracks quadratically on a long run that does not end the text). */
function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && ".!?".includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** Lowercases ASCII letters only, so look-alikes such as the Kelvin sign never match `k`. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** First whitespace-separated token of trimmed text, and the trimmed rest (which may span lines). */
function splitFirst(text: string): [string, string] {
  const match = /\s/.exec(text);
  if (!match) return [text, ""];
  return [text.slice(0, match.index), text.slice(match.index).trim()];
}

/** Cuts text to MAX_COMMAND_TEXT without splitting a surrogate pair. */
function clip(text: string): string {
  if (text.length <= MAX_COMMAND_TEXT) return text;
  let end = MAX_COMMAND_TEXT;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end).trimEnd();
}
