import type { ReviewThreads } from "../domain/model.ts";
import { MAX_COMMAND_TEXT } from "../github/commands/command.ts";
import type { ReviewLineComment } from "../github/port.ts";
import { sanitizeUntrusted } from "../security/sanitize.ts";

/**
 * A review that requested changes, as one piece of follow-up feedback: its
 * body and every line comment with its file and line. Each text is sanitized
 * as thread text is (hidden markup and invisible characters go) and quoted
 * line by line, so a comment cannot pass for a heading or another comment;
 * the prompt wraps the whole in nonce-tagged delimiters as data (agent.ts).
 * The review's threads are kept for the replies after the push: one per
 * thread, only those whose comments the feedback shows.
 */
export interface ReviewFeedback {
  text: string;
  threads: ReviewThreads["threads"];
}

/** Sizes like the thread's (src/agent/context/thread.ts): the body and each comment capped, the whole within a command's text. */
const BODY_CHARS = 8_000;
const COMMENT_CHARS = 3_000;
const TOTAL_CHARS = MAX_COMMAND_TEXT - 500;

export function reviewFeedback(input: { reviewer: string; body: string; comments: readonly ReviewLineComment[] }): ReviewFeedback | null {
  const body = clean(input.body, BODY_CHARS);
  const comments = input.comments.map((c) => ({ ...c, text: clean(c.body, COMMENT_CHARS) })).filter((c) => c.text !== "");
  if (body === "" && comments.length === 0) return null;

  const parts = [`@${input.reviewer} reviewed this pull request and requested changes.`];
  if (body !== "") parts.push(`The review says:\n${quote(body)}`);
  const shown: typeof comments = [];
  let total = parts.join("\n\n").length;
  for (const comment of comments) {
    const entry = `On ${where(comment)}:\n${quote(comment.text)}`;
    if (total + entry.length > TOTAL_CHARS) break;
    total += entry.length + 2;
    shown.push(comment);
    if (shown.length === 1) parts.push(`Its line comments (${comments.length}):`);
    parts.push(entry);
  }
  if (shown.length < comments.length) parts.push(`[${comments.length - shown.length} more line comments not shown to keep the feedback short]`);

  const threads = new Map<number, ReviewThreads["threads"][number]>();
  for (const c of shown) if (!threads.has(c.threadId)) threads.set(c.threadId, { threadId: c.threadId, path: c.path, line: c.line });
  return { text: parts.join("\n\n"), threads: [...threads.values()] };
}

/** `path line N`, or the file as a whole. */
export function where(comment: { path: string; line: number | null }): string {
  return comment.line === null ? `${comment.path} (the whole file)` : `${comment.path} line ${comment.line}`;
}

function clean(text: string, max: number): string {
  const sanitized = sanitizeUntrusted(text).trim();
  return sanitized.length > max ? `${sanitized.slice(0, max)} [cut]` : sanitized;
}

function quote(text: string): string {
  return text
    .split("\n")
    .map((line) => `> ${line}`.trimEnd())
    .join("\n");
}
