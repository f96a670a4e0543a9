import type { RepoConfig } from "../config/repo-config.ts";
import type { Caller } from "../domain/actor.ts";
import type { Task } from "../domain/model.ts";
import type { JulesCommand } from "../github/commands/command.ts";
import { type CommentEvent, type InboundEvent, taskOrigin } from "../github/events.ts";
import { renderHelp } from "../render/help.ts";
import { planCommentUrl } from "../render/links.ts";
import * as replies from "../render/replies.ts";
import { allow, refusedCaller } from "../tasks/control/access.ts";
import { approveTask } from "../tasks/control/approve-task.ts";
import { cancelTaskUseCase } from "../tasks/control/cancel-task.ts";
import { messageTask } from "../tasks/control/message-task.ts";
import { pauseTask } from "../tasks/control/pause-task.ts";
import type { UseCaseError } from "../tasks/control/port.ts";
import { resumeTask } from "../tasks/control/resume-task.ts";
import { requestTask, type StartWhere } from "../tasks/control/request-task.ts";
import { reviseTask } from "../tasks/control/revise-task.ts";
import { startFollowUp } from "../tasks/start-follow-up.ts";
import { requestCiFix } from "../tasks/ci-fix/fix-ci.ts";
import type { InboundContext } from "./inbound-context.ts";
import { rememberRoles } from "./role-memo.ts";

/**
 * One parsed command from a person the gate let through: the thread's face
 * of the control plane. The commenter is the caller (face `thread`); the use
 * cases check their role (src/tasks/control/access.ts, the same rule as every
 * face) and this answers in the thread. `/jules <text>` on a task that is
 * working becomes a message for its agent's next turn, and on a paused task
 * a message its agent reads once the task is resumed. `/jules ask <question>`
 * starts a question (task kind `ask`) on an issue or a pull request: the same
 * start as every face's, answered in the thread, never changing code.
 */
export async function handleCommand(ctx: InboundContext, event: CommentEvent, command: JulesCommand, config: RepoConfig): Promise<void> {
  const repo = { owner: event.repo.owner, repo: event.repo.repo };
  const say = (body: string) => ctx.gh.comment(repo, event.issueNumber, body);
  const who = event.author.login;
  const caller: Caller = { principal: { kind: "user", login: who, scopes: ["read", "write"], repositories: null }, face: "thread" };
  const github = rememberRoles(ctx.deps.github, { installationId: event.installationId, gateway: ctx.gh });
  // The thread names no model, so the operator's model list never applies to it.
  const deps = { ...ctx.deps, github, ownLogin: () => ctx.ownLogin, allowedModels: [] };
  /** A refusal of the commenter: the reply names their role (looked up once, by the use case). */
  const refuse = (action: string) => say(replies.notAllowed({ login: who, role: github.knownRole(repo, who), action }));

  switch (command.kind) {
    case "help":
      return void (await say(renderHelp({ config })));
    case "fix_ci": {
      if (!event.isPullRequest) return void (await say(replies.notOnPullRequest({ login: who, command: config.command })));
      const allowed = await allow(deps, caller, "write", { installationId: event.installationId, ...repo });
      if (!allowed.ok) return void (await refuse("fix failing checks"));
      const request = { ...repo, installationId: event.installationId, pullRequestNumber: event.issueNumber, login: who, commentId: event.commentId };
      const reply = await requestCiFix(ctx, { ...request, createdAt: event.createdAt, config, defaultBranch: event.repo.defaultBranch });
      return void (reply && (await say(reply)));
    }
    case "unknown":
      return void (await say(replies.unknownCommand({ login: who, word: command.word, config })));
    case "status": {
      const task = await ctx.deps.store.findLatest(repo.owner, repo.repo, event.issueNumber);
      return void (await say(task ? ctx.deps.status.render(task) : replies.noTask({ login: who, command: config.command })));
    }
    case "ask": {
      const asked = await requestTask(
        deps,
        caller,
        eventRepository(event),
        { instruction: command.question, issue: event.issueNumber, kind: "ask" },
        { commentId: event.commentId, config, reason: `/${config.command} ask by @${who}` },
      );
      if (!asked.ok) return answerError(asked.error, "ask a question");
      if (asked.value.kind === "busy") await say(replies.busy({ login: who, task: asked.value.active, command: config.command }));
      return;
    }
    case "start": {
      const running = await ctx.deps.store.findActive(repo.owner, repo.repo, event.issueNumber);
      if (command.text && running && (running.state === "working" || running.state === "testing" || running.state === "paused")) {
        const sent = await messageTask(deps, caller, running.id, { text: command.text });
        if (!sent.ok) await answerError(sent.error, "send a message to a task");
        return;
      }
      if (event.isPullRequest) {
        const allowed = await allow(deps, caller, "write", { installationId: event.installationId, ...repo });
        if (!allowed.ok) return void (await refuse("start a task"));
        return followUp(ctx, event, command.text, config, say);
      }
      const started = await requestTask(
        deps,
        caller,
        eventRepository(event),
        { instruction: command.text, issue: event.issueNumber, ...(command.base ? { base: command.base } : {}) },
        { commentId: event.commentId, config, reason: `/${config.command} by @${who}` },
      );
      if (!started.ok) return answerError(started.error, "start a task");
      if (started.value.kind === "busy") await say(replies.busy({ login: who, task: started.value.active, command: config.command }));
      return;
    }
  }

  const task = await ctx.deps.store.findActive(repo.owner, repo.repo, event.issueNumber);
  if (!task) return void (await say(replies.noTask({ login: who, command: config.command })));
  switch (command.kind) {
    case "approve": {
      const comment = { source: event.source, id: event.commentId, createdAt: event.createdAt };
      const approved = await approveTask(deps, caller, task.id, { note: command.note, comment, config });
      if (!approved.ok) return answerError(approved.error, "approve a plan");
      const result = approved.value;
      if (result.kind === "not_waiting") await say(replies.nothingToApprove({ login: who, task, command: config.command }));
      else if (result.kind === "outdated") await say(replies.planOutdated({ login: who, task, command: config.command, ...planLink(ctx, task) }));
      else if (result.kind === "own_plan") await say(replies.fourEyes({ login: who }));
      else if (result.kind === "already") await say(replies.alreadyApproved({ login: who, task: result.task }));
      return;
    }
    case "revise": {
      const result = await reviseTask(deps, caller, task.id, { feedback: command.feedback });
      if (!result.ok && refusedCaller(result.error)) await refuse("ask for a new plan");
      else if (!result.ok) await say(replies.nothingToRevise({ login: who, task, command: config.command }));
      return;
    }
    case "cancel": {
      const result = await cancelTaskUseCase(deps, caller, task.id, { reason: command.reason });
      if (!result.ok && refusedCaller(result.error)) await refuse("cancel a task");
      return;
    }
    case "pause": {
      const result = await pauseTask(deps, caller, task.id, {});
      if (!result.ok) await answerError(result.error, "pause a task");
      return;
    }
    case "resume": {
      if (!ctx.caps)
        return void (await say(
          replies.cannotNow({ login: who, detail: "This OpenJules process was started without its budget caps, so it cannot resume tasks; ask the operator." }),
        ));
      const result = await resumeTask({ ...deps, caps: ctx.caps }, caller, task.id, { extra: command.budget, config });
      if (!result.ok) await answerError(result.error, "resume a task");
      return;
    }
  }

  /** A refusal of the commenter names their role; anything else is said in the use case's words. */
  async function answerError(error: UseCaseError, action: string): Promise<void> {
    await (refusedCaller(error) ? refuse(action) : say(replies.cannotNow({ login: who, detail: error.detail })));
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

/** The repository of a webhook's event as a start needs it (the installation, clone URL and default branch come with the event). */
export const eventRepository = (event: InboundEvent): StartWhere => ({ ...taskOrigin(event), defaultBranch: event.repo.defaultBranch });

/** Where the current plan comment is, for a reply that points at it. */
function planLink(ctx: InboundContext, task: Task): { planUrl?: string } {
  const planUrl = planCommentUrl(ctx.deps.webBase, task);
  return planUrl ? { planUrl } : {};
}
