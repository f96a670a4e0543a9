import { readRepoFile } from "../../security/safe-read.ts";
import { grammarForPath } from "./languages.ts";
import { rankFiles } from "./rank-files.ts";
import { symbolsOf } from "./symbols.ts";
import { CHARS_PER_TOKEN } from "./tokens.ts";
import { DEFAULT_MAX_WALK_FILES, walkRepository } from "./walk.ts";

/**
 * The repository map of the first prompt: the repository's files, most useful
 * first (rank-files.ts), with the top-level symbols of source files
 * (symbols.ts), trimmed to a token budget (chars / 4). One walk lists the
 * files; then, in rank order, source files are parsed while the symbol share
 * of the budget (70%) lasts, so a 20,000-file repository costs a few dozen
 * parses; remaining room lists further files by name. Files over 200 KB or
 * that look binary are listed by name. A closing summary counts the files not
 * listed per top-level directory (with its busiest subdirectories) and names
 * the vendored trees not walked, so the model still sees the whole layout.
 * The output is sorted by path and never longer than `tokenBudget * 4`
 * characters.
 */

export const MAX_PARSE_BYTES = 200_000;
const SYMBOL_SHARE = 0.7;
const HEADER_RESERVE = 260;

export interface RepoMapOptions {
  /** Task and thread text: files it mentions rank first. */
  mentions?: string;
  /** Stop the walk after this many files (default 100,000). */
  maxFiles?: number;
}

async function readSource(dir: string, path: string): Promise<string | null> {
  const read = await readRepoFile(dir, path, { maxBytes: MAX_PARSE_BYTES, whole: true, links: "refuse" });
  if (!read.ok) return null;
  const text = read.bytes.toString("utf8");
  return text.slice(0, 8000).includes("\0") ? null : text;
}

async function symbolEntry(dir: string, path: string, room: number): Promise<string | null> {
  const grammar = grammarForPath(path);
  if (grammar === null) return null;
  const source = await readSource(dir, path);
  if (source === null) return null;
  const symbols = await symbolsOf(grammar, source);
  if (!symbols || symbols.length === 0) return null;
  let entry = path;
  for (const line of symbols) {
    const next = `${entry}\n  ${line}`;
    if (next.length > room) break;
    entry = next;
  }
  return entry === path ? null : entry;
}

function topDirectory(path: string): string {
  const slash = path.indexOf("/");
  return slash === -1 ? "(root)" : path.slice(0, slash + 1);
}

function subDirectory(path: string): string | null {
  const parts = path.split("/");
  return parts.length > 2 ? `${parts[1]}/` : null;
}

/** Counts of unlisted files per top-level directory, with its busiest subdirectories, then the trees not walked. */
function summaryLines(unlisted: readonly string[], skippedDirs: readonly string[], room: number): string[] {
  const lines: string[] = [];
  let used = 0;
  const push = (line: string) => {
    if (used + line.length + 1 > room) return false;
    lines.push(line);
    used += line.length + 1;
    return true;
  };
  if (unlisted.length > 0) {
    const groups = new Map<string, { count: number; subs: Map<string, number> }>();
    for (const path of unlisted) {
      const group = groups.get(topDirectory(path)) ?? { count: 0, subs: new Map<string, number>() };
      group.count++;
      const sub = subDirectory(path);
      if (sub) group.subs.set(sub, (group.subs.get(sub) ?? 0) + 1);
      groups.set(topDirectory(path), group);
    }
    push(`Not listed above (${unlisted.length.toLocaleString("en-US")} files), by directory:`);
    const sorted = [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const perLine = Math.max(40, Math.floor((room - used) / Math.max(1, sorted.length)) - 1);
    for (const [name, { count, subs }] of sorted) {
      let line = `  ${name} ${count.toLocaleString("en-US")}`;
      const busiest = [...subs].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      for (const [i, [sub, n]] of busiest.entries()) {
        const item = `${i === 0 ? ": " : ", "}${sub} ${n.toLocaleString("en-US")}`;
        if (line.length + item.length + 2 > perLine) {
          line += i === 0 ? "" : ", …";
          break;
        }
        line += item;
      }
      if (!push(line)) break;
    }
  }
  if (skippedDirs.length > 0) {
    let line = "Not walked (dependencies or vendored):";
    for (const d of skippedDirs) {
      if (used + line.length + d.length + 2 > room) break;
      line += ` ${d}`;
    }
    if (!line.endsWith(":")) push(line);
  }
  return lines;
}

export async function buildRepoMap(dir: string, tokenBudget: number, options: RepoMapOptions = {}): Promise<string> {
  if (!Number.isFinite(tokenBudget) || tokenBudget <= 0) throw new RangeError(`buildRepoMap: tokenBudget must be a positive number, got ${tokenBudget}`);
  const budget = Math.floor(tokenBudget * CHARS_PER_TOKEN);
  const walk = await walkRepository(dir, options.maxFiles ?? DEFAULT_MAX_WALK_FILES);
  const ranked = rankFiles(walk.files, options.mentions ?? "");
  const summaryRoom = Math.min(600, Math.floor(budget * 0.12));
  const room = budget - HEADER_RESERVE - summaryRoom;

  const entries = new Map<string, string>();
  let used = 0;
  let symbolUsed = 0;
  let withSymbols = 0;
  for (const path of ranked) {
    if (room - used < 24) break;
    if (path.length + 1 > room - used) continue;
    const symbolRoom = Math.min(room - used, Math.floor(room * SYMBOL_SHARE) - symbolUsed) - 1;
    const entry = symbolRoom > path.length ? await symbolEntry(dir, path, symbolRoom) : null;
    if (entry !== null) {
      symbolUsed += entry.length + 1;
      withSymbols++;
    }
    const text = entry ?? path;
    entries.set(path, text);
    used += text.length + 1;
  }

  const unlisted = ranked.filter((p) => !entries.has(p));
  const header =
    `Repository map: ${walk.files.length.toLocaleString("en-US")} files${walk.truncated ? " (the listing stops at this many)" : ""}; ` +
    `${withSymbols} shown with their top-level symbols (indented), ${entries.size - withSymbols} by name, ${unlisted.length.toLocaleString("en-US")} not listed. ` +
    "Paths are relative to the repository root.";
  const body = [...entries.keys()].sort().map((p) => entries.get(p) as string);
  const out = [header, ...body, ...summaryLines(unlisted, walk.skippedDirs, summaryRoom + (room - used))].join("\n");
  return fitToBudget(out, budget);
}

/** Guarantees the bound even when the budget is too small for the header. */
function fitToBudget(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const lineEnd = text.lastIndexOf("\n", budget);
  return lineEnd > 0 ? text.slice(0, lineEnd) : text.slice(0, budget);
}
