import { parseCommand } from "../github/commands/parse.ts";
import type { CommentEvent, InboundEvent } from "../github/events.ts";
import type { Caller } from "../domain/actor.ts";
import { refusedCaller } from "../tasks/control/access.ts";
import { requestTask } from "../tasks/control/request-task.ts";
import { rememberRoles } from "./role-memo.ts";
import { cancelTask } from "../tasks/cancel-task.ts";
import { loadRepoConfig } from "../tasks/repo-config.ts";
import { eventRepository, handleCommand } from "./commands.ts";
import * as replies from "../render/replies.ts";
import { renderConfigError } from "../render/config-error.ts";

import type { InboundContext } from "./inbound-context.ts";
/**
 * The worker half of every webhook: load the repository's settings, parse the
 * command with its command word, acknowledge with 👀, check the person's role,
 * then call the use case. Runs as a job, so a GitHub hiccup means a retry.
 */
export async function handleInbound(ctx: InboundContext, event: InboundEvent): Promise<void> {
  if (event.kind === "closed") return onClosed(ctx, event.repo, event.issueNumber, event.isPullRequest, event.sender.login);
  const repo = { owner: event.repo.owner, repo: event.repo.repo };
  const loaded = await loadRepoConfig(ctx.gh, repo);

  if (event.kind === "comment") {
    const command = parseCommand(event.body, { command: loaded.ok ? loaded.config.command : loaded.commandGuess });
    if (!command) return;
    // Reviews themselves cannot carry reactions; comments (issue or diff line) get 👀 at once.
    if (event.source !== "review") await ctx.gh.react(repo, { kind: event.source === "review_comment" ? "review" : "issue", commentId: event.commentId }, "eyes");
    if (!loaded.ok) return void (await ctx.gh.comment(repo, event.issueNumber, renderConfigError({ problems: loaded.problems })));
    return handleCommand(ctx, event, command, loaded.config);
  }

  const label = loaded.ok ? loaded.config.label : loaded.labelGuess;
  const triggered = event.kind === "labeled" ? event.label.toLowerCase() === label.toLowerCase() : event.labels.some((l) => l.toLowerCase() === label.toLowerCase());
  if (!triggered) return;
  if (!loaded.ok) return void (await ctx.gh.comment(repo, event.issueNumber, renderConfigError({ problems: loaded.problems })));
  // The label's sender is the caller, and the start the same use case as every face's (src/tasks/control/request-task.ts).
  const github = rememberRoles(ctx.deps.github, { installationId: event.installationId, gateway: ctx.gh });
  const login = event.sender.login;
  const caller: Caller = { principal: { kind: "user", login, scopes: ["write"], repositories: null }, face: "thread" };
  const started = await requestTask(
    { ...ctx.deps, github, allowedModels: [] },
    caller,
    eventRepository(event),
    { instruction: "", issue: event.issueNumber },
    { commentId: null, config: loaded.config, issueTitle: event.issueTitle, reason: `label "${label}" added by @${login}` },
  );
  if (!started.ok) {
    const reply = refusedCaller(started.error)
      ? replies.notAllowed({ login, role: github.knownRole(repo, login), action: "start a task" })
      : replies.cannotNow({ login, detail: started.error.detail });
    return void (await ctx.gh.comment(repo, event.issueNumber, reply));
  }
  if (started.value.kind === "busy") await ctx.gh.comment(repo, event.issueNumber, replies.busy({ task: started.value.active, command: loaded.config.command }));
}

async function onClosed(ctx: InboundContext, repo: CommentEvent["repo"], number: number, isPullRequest: boolean, by: string) {
  const store = ctx.deps.store;
  const tasks = [await store.findActive(repo.owner, repo.repo, number)];
  if (isPullRequest) tasks.push(await store.findByPullRequest(repo.owner, repo.repo, number));
  for (const task of tasks) {
    if (task && !["done", "failed", "cancelled"].includes(task.state)) {
      await cancelTask(ctx.deps, { task, by, reason: isPullRequest ? "the pull request was closed" : "the issue was closed" });
    }
  }
}
