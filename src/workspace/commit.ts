import { WorkspaceError } from "./errors.ts";
import { git } from "./git.ts";
import type { BotIdentity, CommitOutcome, CommitRequest } from "./port.ts";
import type { WorktreeChanges } from "./changes.ts";
import { gitlinks, nestedRepositories, submoduleTouched } from "./nested.ts";
import type { LeftOutPath } from "../domain/left-out.ts";

/**
 * Commits the agent's change (only what changes.ts recorded: never what
 * setup or the tests left behind) as the GitHub App's bot user
 * (`<slug>[bot]`, `<bot-user-id>+<slug>[bot]@users.noreply.github.com`, which
 * GitHub links to the app), with a message that says what (subject, at most
 * 72 characters) and why (body), and a `Co-authored-by:` trailer crediting the
 * person who asked. Hooks never run (hooksPath is /dev/null for all our git).
 * Nested repositories and submodules are never committed (see nested.ts):
 * a nested repository the task made is dropped from the commit, not refused,
 * so the rest of the work still reaches the pull request, which lists what
 * was left out and why; a submodule link stays as the base has it, whatever
 * repository code put in its directory.
 */

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

/** Pure: the submodule links of `after` that are not exactly those of `before`. */
export function changedLinks(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}

/** Pure: `git ls-tree -r -z` output → submodule link path → the commit it links. */
export function parseTreeLinks(tree: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const record of tree.split("\0")) {
    const match = /^160000 commit ([0-9a-f]+)\t(.+)$/s.exec(record);
    if (match?.[1] && match[2]) links.set(match[2], match[1]);
  }
  return links;
}

/**
 * Commits what the task's change record staged (changes.ts: the agent's
 * tools and the commands it kept), nothing else: what setup, the tests or
 * the agent's other commands left in the working copy is listed as left out,
 * with nested repositories and touched submodule directories.
 */
export async function commitAll(dir: string, request: CommitRequest, changes: WorktreeChanges): Promise<CommitOutcome> {
  const message = formatCommitMessage(request);
  const { name, email } = botIdentity(request.bot, request.noreplyDomain);
  const links = await gitlinks(dir);
  const nested = await nestedRepositories(dir);
  const leftOut: LeftOutPath[] = nested.map((path) => ({ path, reason: "nested_repository" }));
  for (const path of [...links.keys()].sort()) if (await submoduleTouched(dir, path)) leftOut.push({ path, reason: "submodule" });
  const listed = new Set(leftOut.map((p) => p.path));
  for (const path of await changes.leftOut()) if (!listed.has(path.path) && !nested.some((n) => path.path.startsWith(n))) leftOut.push(path);
  const changed = changedLinks(parseTreeLinks((await git(["ls-tree", "-r", "-z", "--full-tree", "HEAD"], { cwd: dir })).stdout), links);
  if (changed.length > 0) {
    // Cannot happen: the record never stages a link. Refused rather than trusted.
    throw new WorkspaceError(
      "git_failed",
      `Refusing to commit submodule links the task did not have at its base: ${changed.join(", ")}`,
      "This is a bug in OpenJules; nothing was committed.",
    );
  }
  const staged = await git(["diff", "--cached", "--name-only", "-z", "--ignore-submodules=all"], { cwd: dir });
  if (staged.stdout === "") return { sha: null, leftOut };
  const env = { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
  await git(["commit", "--quiet", "--no-verify", "--cleanup=verbatim", "--file=-"], { cwd: dir, input: message, env });
  return { sha: (await git(["rev-parse", "HEAD"], { cwd: dir })).stdout.trim(), leftOut };
}
