import { WorkspaceError } from "./errors.ts";
import { git } from "./git.ts";

/**
 * Commits every change in the worktree as the GitHub App's bot user
 * (`<slug>[bot]`, `<bot-user-id>+<slug>[bot]@users.noreply.github.com`, which
 * GitHub links to the app), with a message that says what (subject, at most
 * 72 characters) and why (body), and a `Co-authored-by:` trailer crediting the
 * person who asked. Hooks never run (hooksPath is /dev/null for all our git).
 */

export interface BotIdentity {
  /** The app's slug, e.g. `openjules` (the bot login is `openjules[bot]`). */
  slug: string;
  /** The numeric user id of `<slug>[bot]` (GET /users/<slug>[bot]). */
  userId: number;
}

export interface CoAuthor {
  login: string;
  id: number;
}

export interface CommitRequest {
  subject: string;
  /** Why the change was made; required. */
  body: string;
  bot: BotIdentity;
  coAuthor?: CoAuthor | null | undefined;
  /** `users.noreply.github.com`, or `users.noreply.<host>` on GitHub Enterprise Server. */
  noreplyDomain?: string | undefined;
}

export const MAX_SUBJECT = 72;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

function invalid(message: string): WorkspaceError {
  return new WorkspaceError("invalid_input", message, "This is a bug in the caller; the commit was not made.");
}

/** Pure: the bot's git identity. */
export function botIdentity(bot: BotIdentity, noreplyDomain = "users.noreply.github.com"): { name: string; email: string } {
  if (!/^[a-z0-9][a-z0-9-]{0,33}$/i.test(bot.slug) || !Number.isSafeInteger(bot.userId) || bot.userId <= 0) {
    throw invalid(`Invalid bot identity ${JSON.stringify(bot)}`);
  }
  return { name: `${bot.slug}[bot]`, email: `${bot.userId}+${bot.slug}[bot]@${noreplyDomain}` };
}

/** Pure: the subject cut to 72 characters at a word boundary (with an ellipsis when cut). */
export function commitSubject(subject: string): string {
  const line = subject.replace(/\s+/g, " ").trim();
  if (!line) throw invalid("A commit needs a subject");
  if (line.length <= MAX_SUBJECT) return line;
  const cut = line.slice(0, MAX_SUBJECT - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > MAX_SUBJECT / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Pure: subject, blank line, body, blank line, trailer. */
export function formatCommitMessage(request: Pick<CommitRequest, "subject" | "body" | "coAuthor" | "noreplyDomain">): string {
  const body = request.body.replace(/\r\n?/g, "\n").replace(/\0/g, "").trim();
  if (!body) throw invalid("A commit needs a body that says why the change was made");
  let message = `${commitSubject(request.subject)}\n\n${body}\n`;
  const co = request.coAuthor;
  if (co) {
    if (!LOGIN.test(co.login) || !Number.isSafeInteger(co.id) || co.id <= 0) throw invalid(`Invalid co-author ${JSON.stringify(co)}`);
    message += `\nCo-authored-by: ${co.login} <${co.id}+${co.login}@${request.noreplyDomain ?? "users.noreply.github.com"}>\n`;
  }
  return message;
}

/** Stages everything and commits; returns the new commit's sha, or null when nothing changed. */
export async function commitAll(dir: string, request: CommitRequest): Promise<string | null> {
  const message = formatCommitMessage(request);
  const { name, email } = botIdentity(request.bot, request.noreplyDomain);
  await git(["add", "--all"], { cwd: dir });
  const staged = await git(["diff", "--cached", "--name-only", "-z"], { cwd: dir });
  if (staged.stdout === "") return null;
  const env = { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
  await git(["commit", "--quiet", "--no-verify", "--cleanup=verbatim", "--file=-"], { cwd: dir, input: message, env });
  return (await git(["rev-parse", "HEAD"], { cwd: dir })).stdout.trim();
}
