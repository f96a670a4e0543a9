/**
 * The spoken summary of a finished task (the web app plays it): plain text
 * meant to be heard and read beside the player. What was asked, how it
 * ended, what changed (how many files, the most changed ones by name), how
 * the tests ended, the pull request by number and host, and the cost; no
 * markdown, no address read out character by character, at most
 * SPOKEN_SUMMARY_MAX characters. Pure.
 */
import type { Task } from "../domain/model.ts";
import { sanitizeUntrusted } from "../security/sanitize.ts";

export const SPOKEN_SUMMARY_MAX = 600;

export interface ChangedFile {
  path: string;
  /** Lines added and removed. */
  lines: number;
}

export interface SummaryFacts {
  task: Task;
  /** Files the task's branch changes against its base; null when that is not known (no branch, or no diff to read). */
  files: readonly ChangedFile[] | null;
  /** How the last test run ended; null when nothing tells. */
  tests: "passed" | "failed" | null;
}

export function renderSpokenSummary(facts: SummaryFacts): string {
  const { task } = facts;
  const asked = clip(speakable(task.instruction || task.issueTitle), 160);
  const who = task.requestedBy === "operator" ? "The operator" : speakable(task.requestedBy);
  const sentences = [asked ? `${who} asked, in ${speakable(task.repo)}: ${asked}` : `${who} started a task in ${speakable(task.repo)}`, ...outcome(facts)];
  const cost = costWords(task.usage?.costUsd ?? 0);
  if (cost) sentences.push(`It cost ${cost}`);
  return clip(sentences.map(sentence).filter(Boolean).join(" "), SPOKEN_SUMMARY_MAX);
}

function outcome({ task, files, tests }: SummaryFacts): string[] {
  if (task.state === "done" && task.answer !== null) return [`OpenJules answered without changing any code: ${clip(speakable(task.answer), 220)}`];
  if (task.state === "done") {
    const said = [filesSentence(files), tests === "passed" ? "The tests pass" : tests === "failed" ? "The tests still fail" : ""];
    if (task.pullRequestNumber !== null) {
      const where = task.pullRequestUrl ? ` on ${hostOf(task.pullRequestUrl)}` : "";
      said.push(`It opened pull request number ${task.pullRequestNumber}${where}${tests === "failed" ? ", as a draft marked as failing" : ""}`);
    } else if (task.branch) said.push(`Only the branch ${speakable(task.branch)} was pushed, without a pull request`);
    return said;
  }
  const why = task.failure ? clip(speakable(task.failure.reason), 200) : "";
  // The cancel's own reason already starts "Cancelled by …".
  const cancelled = /^cancelled\s+/i.test(why) ? `It was cancelled ${why.replace(/^cancelled\s+/i, "")}` : `It was cancelled${why ? `: ${why}` : ""}`;
  const failed = `It failed${task.failure ? ` at the ${speakable(task.failure.phase).toLowerCase()} step` : ""}${why ? `: ${why}` : ""}`;
  const said = [task.state === "cancelled" ? cancelled : failed];
  if (task.branch && files && files.length > 0) said.push(`Its work so far is on the branch ${speakable(task.branch)}`);
  return said;
}

function filesSentence(files: readonly ChangedFile[] | null): string {
  if (files === null) return "";
  if (files.length === 0) return "It changed no files";
  const main = [...files]
    .sort((a, b) => b.lines - a.lines)
    .slice(0, 3)
    .map((f) => speakable(f.path.split("/").at(-1) ?? f.path));
  if (files.length === 1) return `It changed one file, ${main[0]}`;
  const list = `${main.slice(0, -1).join(", ")} and ${main.at(-1)}`;
  return files.length <= 3 ? `It changed ${files.length} files: ${list}` : `It changed ${files.length} files, mainly ${list}`;
}

/** "less than a cent", "about 12 cents", "about 1.25 dollars"; "" for nothing spent. */
export function costWords(usd: number): string {
  if (!Number.isFinite(usd) || usd <= 0) return "";
  if (usd < 0.01) return "less than a cent";
  if (usd < 0.995) {
    const cents = Math.round(usd * 100);
    return `about ${cents} cent${cents === 1 ? "" : "s"}`;
  }
  return `about ${usd.toFixed(2)} dollars`;
}

/** The files of a unified diff (`diff --git a/x b/y` headers), with the lines each adds and removes. */
export function filesOfDiff(diff: string): ChangedFile[] {
  const files: ChangedFile[] = [];
  for (const line of diff.split("\n")) {
    const header = /^diff --git a\/.* b\/(.+)$/.exec(line);
    if (header) files.push({ path: header[1]!, lines: 0 });
    else if (files.length > 0 && /^[+-](?!\+\+ |-- )/.test(line)) files.at(-1)!.lines++;
  }
  return files;
}

/**
 * Text from a person or the model made fit to be heard: hidden markup and
 * invisible characters gone, markdown marks dropped (links keep their
 * words), an address said as "a link to <host>", one line.
 */
export function speakable(text: string): string {
  return sanitizeUntrusted(text)
    .replace(/```[^\n]*\n?/g, " ")
    .replace(/!?\[([^\]\n]*)\]\([^)\s]*\)/g, "$1")
    .replace(/\b(?:https?|ftp):\/\/[^\s<>"')\]]+/gi, (url) => `a link to ${hostOf(url)}`)
    .replace(/<[^>\n]*>/g, " ")
    .replace(/^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+/gm, "")
    .replace(/[`*~|#]+|(?<!\w)_+|_+(?!\w)/g, "")
    .replace(/(^|\s)@(?=\w)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || "an address";
  } catch {
    return "an address";
  }
}

/** At most `max` characters, cut at a word and marked with an ellipsis. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…`;
}

/** A sentence ends with its own punctuation, else a full stop; empty parts say nothing. */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return "";
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
