import type { PullRequestDiff } from "../port.ts";
import { truncateText } from "./tokens.ts";
import { wrapUntrusted } from "./thread.ts";

/**
 * The pull request a question is about, as a section of the agent's first
 * message: which pull request, what the working copy is, and its changed
 * files with their patches, as delimited untrusted data (sanitized like the
 * thread: the patch is the pull request author's text). Capped: each patch
 * at PATCH_CHARS, all of them at DIFF_CHARS (about 15,000 tokens); files past
 * the cap are named without their patch, and the section says what it left out.
 */

export const PATCH_CHARS = 12_000;
export const DIFF_CHARS = 60_000;

export function formatPullRequestDiff(pr: PullRequestDiff, limits = { patchChars: PATCH_CHARS, diffChars: DIFF_CHARS }): string {
  let room = limits.diffChars;
  const shown: string[] = [];
  const named: string[] = [];
  for (const file of pr.files) {
    const header = `--- ${fileLine(file)}`;
    const patch = file.patch === null ? "(no patch: a binary file, or a diff too large for GitHub to show)" : truncateText(file.patch, limits.patchChars, `patch of ${file.path}`);
    const entry = `${header}\n${patch}`;
    if (entry.length > room) {
      named.push(fileLine(file));
      continue;
    }
    shown.push(entry);
    room -= entry.length;
  }
  const total = pr.files.reduce((sum, f) => ({ add: sum.add + f.additions, del: sum.del + f.deletions }), { add: 0, del: 0 });
  const counted = `${pr.files.length}${pr.more ? "+" : ""} changed file${pr.files.length === 1 && !pr.more ? "" : "s"} (+${total.add} −${total.del}${pr.more ? " in those listed" : ""})`;
  const checkout = pr.checkedOutHead
    ? `The working copy your tools read is the pull request's head branch \`${pr.checkedOut}\`: the changes are in it.`
    : `The working copy your tools read is the base branch \`${pr.checkedOut}\` (the head is in a fork): the changes below are NOT in it.`;
  const notes = [
    named.length > 0 ? `Patches not shown, to keep the prompt short (read the files instead): ${named.join("; ")}.` : null,
    pr.more ? "The pull request changes more files than those listed here." : null,
  ].filter((n): n is string => n !== null);
  const diff = shown.length > 0 ? shown.join("\n\n") : "(no patch to show)";
  return [
    `# The pull request\n\nThe question is about pull request #${pr.number} (into \`${pr.baseRef}\`): ${counted}. ${checkout}`,
    wrapUntrusted("pull-request", `Title: ${pr.title}\n\n${diff}`),
    ...notes,
  ].join("\n\n");
}

function fileLine(file: PullRequestDiff["files"][number]): string {
  const path = file.previousPath && file.previousPath !== file.path ? `${file.previousPath} → ${file.path}` : file.path;
  return `${path} (${file.status}, +${file.additions} −${file.deletions})`;
}
