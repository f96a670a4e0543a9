import { pullRequestTitle } from "../render/pull-request.ts";
import type { CoAuthor } from "../workspace/index.ts";
import type { DeliveryInput } from "./types.ts";

/**
 * 2. Commit: everything the agent changed, as one commit by the app's bot,
 * saying what (the subject: the instruction or the issue title) and why (the
 * body: the agent's summary, else the plan's), with a `Co-authored-by`
 * trailer for the person who asked. Their numeric id (which GitHub needs to
 * link the trailer) is looked up with GET /users/{login}; a login GitHub no
 * longer knows just goes without the trailer. Returns the new commit, or null
 * when nothing changed.
 */

export async function commitChanges(input: DeliveryInput): Promise<string | null> {
  const { task, workspace, bot } = input;
  return workspace.commit({
    subject: pullRequestTitle(task),
    body: commitBody(input),
    bot,
    coAuthor: await coAuthorOf(input),
    noreplyDomain: noreplyDomain(input.webBase),
  });
}

/** Pure: the why of the commit. */
export function commitBody(input: Pick<DeliveryInput, "outcome" | "plan" | "task">): string {
  const text = input.outcome.summary.trim() || input.plan.summary.trim();
  return text || `Carries out the approved plan for #${input.task.issueNumber}.`;
}

/** Pure: `users.noreply.github.com`, or `users.noreply.<host>` on GitHub Enterprise Server. */
export function noreplyDomain(webBase: string): string {
  let host = "github.com";
  try {
    host = new URL(webBase).hostname || host;
  } catch {
    // not a URL: keep github.com
  }
  return `users.noreply.${host}`;
}

async function coAuthorOf(input: DeliveryInput): Promise<CoAuthor | null> {
  const login = input.task.requestedBy;
  if (login.toLowerCase() === `${input.bot.slug}[bot]`.toLowerCase()) return null;
  const found = await input.gh.user(login);
  if (!found) input.log.warn({ taskId: input.task.id, login }, "the requester is unknown to GitHub; committing without Co-authored-by");
  return found;
}
