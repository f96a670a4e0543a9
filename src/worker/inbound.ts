import { parseCommand } from "../github/commands/parse.ts";
import { taskOrigin, type CommentEvent, type InboundEvent } from "../github/events.ts";
import { WRITER_ROLES } from "../github/port.ts";
import { cancelTask } from "../tasks/cancel-task.ts";
import { startTask } from "../tasks/start-task.ts";
import { loadRepoConfig } from "./repo-config.ts";
import { handleCommand } from "./commands.ts";
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
  const role = await ctx.gh.role(repo, event.sender.login);
  if (!WRITER_ROLES.includes(role)) {
    await ctx.gh.comment(repo, event.issueNumber, replies.notAllowed({ login: event.sender.login, role, action: "start a task" }));
    return;
  }
  const result = await startTask(
    ctx.deps,
    {
      ...taskOrigin(event),
      instruction: "",
      issueTitle: event.issueTitle,
      requestedBy: event.sender.login,
      triggerCommentId: null,
      baseBranch: event.repo.defaultBranch,
      command: loaded.config.command,
    },
    `label "${label}" added by @${event.sender.login}`,
  );
  if (result.kind === "busy") await ctx.gh.comment(repo, event.issueNumber, replies.busy({ task: result.active, command: loaded.config.command }));
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
