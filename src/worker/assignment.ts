import type { Caller } from "../domain/actor.ts";
import type { TaskState } from "../domain/model.ts";
import { isTerminal } from "../domain/state-machine.ts";
import type { AssignmentEvent } from "../github/events.ts";
import { renderConfigError } from "../render/config-error.ts";
import * as replies from "../render/replies.ts";
import { keepsGoingAfterUnassign } from "../render/trigger-replies.ts";
import { cancelTask } from "../tasks/cancel-task.ts";
import { allow } from "../tasks/control/access.ts";
import type { LoadedConfig } from "../tasks/repo-config.ts";
import type { InboundContext } from "./inbound-context.ts";
import { startFromIssueEvent } from "./issue-start.ts";
import { rememberRoles } from "./role-memo.ts";

/** Where a task has not started its work yet: unassigning cancels it there, and nowhere else. */
const NOT_AT_WORK: readonly TaskState[] = ["queued", "planning", "awaiting_approval", "revising"];

/**
 * `issues.assigned` / `issues.unassigned` of the account jules.yml's
 * `assignee` names (else the operator's JULES_ASSIGNEE; logins compared
 * without case). Assigning starts a task from the issue as the trigger label
 * does, the assigner being who asked (a writer); unassigning cancels the
 * issue's task while it has not started its work, and otherwise says that it
 * keeps going and how to stop it. Any other assignment is none of OpenJules'
 * business and gets no answer.
 */
export async function handleAssignment(ctx: InboundContext, event: AssignmentEvent, loaded: LoadedConfig): Promise<void> {
  const account = (loaded.ok ? loaded.config.assignee : loaded.assigneeGuess) ?? ctx.assignee;
  if (!account || account.toLowerCase() !== event.assignee.toLowerCase()) return;
  const repo = { owner: event.repo.owner, repo: event.repo.repo };
  if (!loaded.ok) return void (await ctx.gh.comment(repo, event.issueNumber, renderConfigError({ problems: loaded.problems })));
  const by = event.sender.login;
  if (event.action === "assigned") {
    const words = { reason: `assigned to @${account} by @${by}`, action: `start a task by assigning this issue to @${account}` };
    return startFromIssueEvent(ctx, event, loaded.config, words);
  }
  return unassigned(ctx, event, account);
}

async function unassigned(ctx: InboundContext, event: AssignmentEvent, account: string): Promise<void> {
  const repo = { owner: event.repo.owner, repo: event.repo.repo };
  const task = await ctx.deps.store.findActive(repo.owner, repo.repo, event.issueNumber);
  if (!task) return;
  const login = event.sender.login;
  const say = (body: string) => ctx.gh.comment(repo, event.issueNumber, body);
  const github = rememberRoles(ctx.deps.github, { installationId: event.installationId, gateway: ctx.gh });
  const caller: Caller = { principal: { kind: "user", login, scopes: ["write"], repositories: null }, face: "thread" };
  const allowed = await allow({ github }, caller, "write", { installationId: event.installationId, ...repo });
  if (!allowed.ok) return void (await say(replies.notAllowed({ login, role: github.knownRole(repo, login), action: `cancel a task by unassigning @${account}` })));
  if (NOT_AT_WORK.includes(task.state)) {
    const cancelled = await cancelTask(ctx.deps, { task, by: login, reason: `@${account} was unassigned`, from: NOT_AT_WORK });
    if (cancelled) return;
  }
  const now = await ctx.deps.store.get(task.id);
  // Gone past planning in between (an /approve): it keeps going too; ended in between: nothing to say.
  if (now && !NOT_AT_WORK.includes(now.state) && !isTerminal(now.state)) await say(keepsGoingAfterUnassign({ login, assignee: account, task: now }));
}
