import { pullRequestTitle } from "../render/pull-request.ts";
import type { CoAuthor, CommitOutcome } from "../workspace/manager.ts";
import type { DeliveryInput } from "./port.ts";

/**
 * 2. Commit: everything the agent changed, as one commit by the app's bot,
 * saying what (the subject: the instruction or the issue title) and why (the
 * body: the agent's summary, else the plan's), with a `Co-authored-by`
 * trailer for the person who asked. Their numeric id (which GitHub needs to
 * link the trailer) is looked up with GET /users/{login}; a login GitHub no
 * longer knows just goes without the trailer. Returns the new commit (null
 * when nothing changed) and what was left out of it: nested repositories the
 * task made and submodule directories are dropped from the commit, not a
 * reason to refuse the delivery (the pull request lists them, see
 * render/pull-request.ts), and never entered by git.
 */

export async function commitChanges(input: DeliveryInput): Promise<CommitOutcome> {
  const { task, workspace, bot } = input;
  const outcome = await workspace.commit({
    subject: pullRequestTitle(task),
    body: commitBody(input),
    bot,
    coAuthor: await coAuthorOf(input),
    noreplyDomain: noreplyDomain(input.webBase),
  });
  if (outcome.leftOut.length > 0) input.log.warn({ taskId: task.id, leftOut: outcome.leftOut }, "nested repositories and submodules were left out of the commit");
  return outcome;
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
