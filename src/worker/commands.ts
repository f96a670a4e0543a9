import type { RepoConfig } from "../config/repo-config.ts";
import type { JulesCommand } from "../github/commands/command.ts";
import { taskOrigin, type CommentEvent } from "../github/events.ts";
import { WRITER_ROLES } from "../github/port.ts";
import { renderHelp } from "../render/help.ts";
import { planCommentUrl } from "../render/links.ts";
import * as replies from "../render/replies.ts";
import { approvePlan } from "../tasks/approve-plan.ts";
import { cancelTask } from "../tasks/cancel-task.ts";
import { revisePlan } from "../tasks/revise-plan.ts";
import { startFollowUp } from "../tasks/start-follow-up.ts";
import type { Task } from "../domain/model.ts";
import { startTask } from "../tasks/start-task.ts";
import type { InboundContext } from "./inbound-context.ts";

/**
 * One parsed command from a person the gate let through: check the role the
 * command needs, then call the use case and answer in the thread.
 */
const GATED: readonly JulesCommand["kind"][] = ["start", "approve", "revise", "cancel"];

export async function handleCommand(ctx: InboundContext, event: CommentEvent, command: JulesCommand, config: RepoConfig): Promise<void> {
  const repo = { owner: event.repo.owner, repo: event.repo.repo };
  const say = (body: string) => ctx.gh.comment(repo, event.issueNumber, body);
  const who = event.author.login;

  if (GATED.includes(command.kind)) {
    const role = await ctx.gh.role(repo, who);
    if (!WRITER_ROLES.includes(role)) return void (await say(replies.notAllowed({ login: who, role, action: actionWords[command.kind] ?? "do that" })));
  }

  const store = ctx.deps.store;
  switch (command.kind) {
    case "help":
      return void (await say(renderHelp({ config })));
    case "unknown":
      return void (await say(replies.unknownCommand({ login: who, word: command.word, config })));
    case "status": {
      const task = await store.findLatest(repo.owner, repo.repo, event.issueNumber);
      return void (await say(task ? ctx.deps.status.render(task) : replies.noTask({ login: who, command: config.command })));
    }
    case "start": {
      if (event.isPullRequest) return followUp(ctx, event, command.text, config, say);
      const issue = await ctx.gh.issue(repo, event.issueNumber);
      const result = await startTask(
        ctx.deps,
        {
          ...taskOrigin(event),
          instruction: command.text,
          issueTitle: issue.title,
          requestedBy: who,
          triggerCommentId: event.commentId,
          baseBranch: command.base ?? event.repo.defaultBranch,
          command: config.command,
        },
        `/${config.command} by @${who}`,
      );
      if (result.kind === "busy") await say(replies.busy({ login: who, task: result.active, command: config.command }));
      return;
    }
  }

  const task = await store.findActive(repo.owner, repo.repo, event.issueNumber);
  if (!task) return void (await say(replies.noTask({ login: who, command: config.command })));
  switch (command.kind) {
    case "approve": {
      const comment = { source: event.source, id: event.commentId, createdAt: event.createdAt };
      const result = await approvePlan(ctx.deps, { task, approval: { kind: "person", login: who, note: command.note, comment }, config });
      if (result.kind === "not_waiting") await say(replies.nothingToApprove({ login: who, task, command: config.command }));
      else if (result.kind === "outdated") await say(replies.planOutdated({ login: who, task, command: config.command, ...planLink(ctx, task) }));
      else if (result.kind === "own_plan") await say(replies.fourEyes({ login: who }));
      else if (result.kind === "already") await say(replies.alreadyApproved({ login: who, task: result.task }));
      return;
    }
    case "revise": {
      const result = await revisePlan(ctx.deps, { task, by: who, feedback: command.feedback });
      if (result.kind === "not_waiting") await say(replies.nothingToRevise({ login: who, task, command: config.command }));
      return;
    }
    case "cancel":
      await cancelTask(ctx.deps, { task, by: who, reason: command.reason });
      return;
  }
}

/** `/jules <feedback>` on a pull request: more commits on a pull request OpenJules opened. */
async function followUp(ctx: InboundContext, event: CommentEvent, text: string, config: RepoConfig, say: (body: string) => Promise<unknown>) {
  const who = event.author.login;
  const origin = await ctx.deps.store.findByPullRequest(event.repo.owner, event.repo.repo, event.issueNumber);
  if (!origin || !origin.branch) return void (await say(replies.notOnPullRequest({ login: who, command: config.command })));
  if (!text) return void (await say(replies.followUpNeedsText({ login: who, command: config.command })));
  const result = await startFollowUp(ctx.deps, {
    origin,
    pullRequestNumber: event.issueNumber,
    feedback: text,
    location: event.location,
    requestedBy: event.author.login,
    command: config.command,
    triggerCommentId: event.commentId,
    triggerCreatedAt: event.createdAt,
    gh: ctx.gh,
    ownLogin: ctx.ownLogin,
  });
  if (result.kind === "busy") await say(replies.busy({ login: who, task: result.active, command: config.command }));
}

/** Where the current plan comment is, for a reply that points at it. */
function planLink(ctx: InboundContext, task: Task): { planUrl?: string } {
  const planUrl = planCommentUrl(ctx.deps.webBase, task);
  return planUrl ? { planUrl } : {};
}

const actionWords: Partial<Record<JulesCommand["kind"], string>> = {
  start: "start a task",
  approve: "approve a plan",
  revise: "ask for a new plan",
  cancel: "cancel a task",
};
