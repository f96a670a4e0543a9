import type { RepoConfig } from "../config/repo-config.ts";
import type { Caller } from "../domain/actor.ts";
import type { AssignmentEvent, LabelEvent, OpenedEvent } from "../github/events.ts";
import * as replies from "../render/replies.ts";
import { refusedCaller } from "../tasks/control/access.ts";
import { requestTask } from "../tasks/control/request-task.ts";
import { eventRepository } from "./commands.ts";
import type { InboundContext } from "./inbound-context.ts";
import { rememberRoles } from "./role-memo.ts";

/**
 * A start from an event on an issue without a comment (the trigger label, an
 * assignment): the event's sender is the caller, and the start is the same
 * use case as every face's (src/tasks/control/request-task.ts), so a
 * non-writer is refused with a reply naming their role and a second task on
 * the issue is answered `busy`.
 */
export async function startFromIssueEvent(
  ctx: InboundContext,
  event: LabelEvent | OpenedEvent | AssignmentEvent,
  config: RepoConfig,
  words: { reason: string; action: string },
): Promise<void> {
  const repo = { owner: event.repo.owner, repo: event.repo.repo };
  const github = rememberRoles(ctx.deps.github, { installationId: event.installationId, gateway: ctx.gh });
  const login = event.sender.login;
  const caller: Caller = { principal: { kind: "user", login, scopes: ["write"], repositories: null }, face: "thread" };
  const started = await requestTask(
    { ...ctx.deps, github, allowedModels: [] },
    caller,
    eventRepository(event),
    { instruction: "", issue: event.issueNumber },
    { commentId: null, config, issueTitle: event.issueTitle, reason: words.reason },
  );
  if (!started.ok) {
    const reply = refusedCaller(started.error)
      ? replies.notAllowed({ login, role: github.knownRole(repo, login), action: words.action })
      : replies.cannotNow({ login, detail: started.error.detail });
    return void (await ctx.gh.comment(repo, event.issueNumber, reply));
  }
  if (started.value.kind === "busy") await ctx.gh.comment(repo, event.issueNumber, replies.busy({ task: started.value.active, command: config.command }));
}
