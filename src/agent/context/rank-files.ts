import { grammarForPath } from "./languages.ts";

/**
 * Orders a repository's files by how useful they are to see first, without
 * reading them (git history is not consulted: it is not cheap on a fresh
 * worktree). Points, added up:
 * - mentioned in the task or the thread: the path or a path suffix (+100), the
 *   file name with extension (+60), or the bare name as a word (+20, names of
 *   five letters or more that are not generic like `index`);
 * - the root README (+50), manifests and build files (+45 at the root, +15
 *   deeper), contributor docs at the root (+30);
 * - entry points by name (`index`, `main`, `app`, `cli`, `__init__`, `mod`,
 *   `lib`, ...: +12) and parseable source files (+10);
 * - minus: tests (-15), fixtures, examples and docs trees (-10), lock files,
 *   minified and generated files (-40), depth (-4 per directory level), and
 *   crowded directories (-2 * log2 of the files beside it, at most -14).
 * Then, for variety, each file loses 6 points per better-ranked file in the
 * same directory, so the head of the list samples many directories instead of
 * exhausting one. Ties go to the shorter path, then alphabetical order, so the
 * ranking is stable.
 */

const MANIFESTS = new Set([
  "package.json",
  "tsconfig.json",
  "deno.json",
  "pyproject.toml",
  "setup.py",
  "setup.cfg",
  "requirements.txt",
  "pipfile",
  "go.mod",
  "cargo.toml",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
  "settings.gradle",
  "makefile",
  "cmakelists.txt",
  "dockerfile",
  "docker-compose.yml",
  "compose.yaml",
  "gemfile",
  "composer.json",
  "mix.exs",
  "justfile",
]);
const ROOT_DOCS = new Set(["agents.md", "contributing.md", "architecture.md", "claude.md", "changelog.md"]);
const ENTRY_STEMS = new Set(["index", "main", "app", "server", "cli", "__init__", "__main__", "mod", "lib", "cmd"]);
const GENERIC_STEMS = new Set([...ENTRY_STEMS, "utils", "util", "types", "helpers", "common", "config", "test", "tests", "readme"]);
const GENERATED =
  /(?:^|\/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|cargo\.lock|go\.sum|poetry\.lock|pipfile\.lock|composer\.lock|gemfile\.lock)$|\.min\.[a-z]+$|\.map$|\.snap$|\.lock$|(?:^|\/)(?:generated|__generated__|gen)\//i;
const TEST = /(?:^|\/)(?:tests?|__tests__|spec|specs)\/|[._-](?:test|spec)\.[a-z]+$|_test\.go$|(?:^|\/)test_[^/]+\.py$/i;
const DIVERSITY_PENALTY = 6;
const SIDE_TREES = /(?:^|\/)(?:fixtures?|examples?|samples?|docs?|testdata|benchmarks?)\//i;

/** What the task and thread text mention: path-like tokens and words. */
export interface Mentions {
  tokens: Set<string>;
  words: Set<string>;
}

/** `text` without its trailing run of `chars` (a loop: `/[.\-/]+$/` backtracks quadratically on a run that does not end the text). */
function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}

export function extractMentions(text: string): Mentions {
  const tokens = new Set<string>();
  const words = new Set<string>();
  for (const raw of text.toLowerCase().match(/[a-z0-9_./\\-]+/g) ?? []) {
    const token = trimTrailing(raw.replace(/\\/g, "/").replace(/^\.?\/+/, ""), "./-");
    if (token.length === 0) continue;
    if (token.includes(".") || token.includes("/")) tokens.add(token);
    for (const word of token.split(/[./-]/)) if (word.length >= 5) words.add(word);
  }
  return { tokens, words };
}

function mentionScore(lower: string, base: string, stem: string, mentions: Mentions): number {
  if (mentions.tokens.has(lower)) return 100;
  for (const token of mentions.tokens) if (token.includes("/") && lower.endsWith(`/${token}`)) return 100;
  if (mentions.tokens.has(base)) return 60;
  if (stem.length >= 5 && !GENERIC_STEMS.has(stem) && mentions.words.has(stem)) return 20;
  return 0;
}

export function fileScore(path: string, siblings: number, mentions: Mentions): number {
  const lower = path.toLowerCase();
  const slash = lower.lastIndexOf("/");
  const base = lower.slice(slash + 1);
  const dot = base.lastIndexOf(".");
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const depth = path.split("/").length - 1;

  let score = mentionScore(lower, base, stem, mentions);
  if (depth === 0 && /^readme(?:\.|$)/.test(base)) score += 50;
  if (MANIFESTS.has(base)) score += depth === 0 ? 45 : 15;
  if (depth === 0 && ROOT_DOCS.has(base)) score += 30;
  if (ENTRY_STEMS.has(stem)) score += 12;
  if (grammarForPath(path) !== null) score += 10;
  if (TEST.test(lower)) score -= 15;
  if (SIDE_TREES.test(lower)) score -= 10;
  if (GENERATED.test(lower)) score -= 40;
  score -= 4 * depth;
  score -= Math.min(14, 2 * Math.log2(1 + siblings));
  return score;
}

/** Files from most to least useful; see the file header for the points. */
export function rankFiles(paths: readonly string[], mentionText = ""): string[] {
  const mentions = extractMentions(mentionText);
  const perDir = new Map<string, number>();
  const dirOf = (p: string) => p.slice(0, Math.max(0, p.lastIndexOf("/")));
  for (const p of paths) perDir.set(dirOf(p), (perDir.get(dirOf(p)) ?? 0) + 1);
  const byScore = (a: { path: string; score: number }, b: { path: string; score: number }) =>
    b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const scored = paths.map((path) => ({ path, score: fileScore(path, (perDir.get(dirOf(path)) ?? 1) - 1, mentions) })).sort(byScore);
  const seen = new Map<string, number>();
  for (const entry of scored) {
    const before = seen.get(dirOf(entry.path)) ?? 0;
    seen.set(dirOf(entry.path), before + 1);
    entry.score -= DIVERSITY_PENALTY * before;
  }
  return scored.sort(byScore).map((s) => s.path);
}
