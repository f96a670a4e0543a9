import { parseCommand } from "../github/commands/parse.ts";
import { taskOrigin, type CommentEvent, type InboundEvent } from "../github/events.ts";
import type { Caller } from "../domain/actor.ts";
import { allow } from "../tasks/control/access.ts";
import { rememberRoles } from "./role-memo.ts";
import { cancelTask } from "../tasks/cancel-task.ts";
import { startTask } from "../tasks/start-task.ts";
import { loadRepoConfig } from "../tasks/repo-config.ts";
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
  // The label's sender is the caller, checked by the same rule as every face (src/tasks/control/access.ts).
  const github = rememberRoles(ctx.deps.github, { installationId: event.installationId, gateway: ctx.gh });
  const caller: Caller = { principal: { kind: "user", login: event.sender.login, scopes: ["write"], repositories: null }, face: "thread" };
  const allowed = await allow({ github }, caller, "write", { installationId: event.installationId, ...repo });
  if (!allowed.ok) {
    const role = github.knownRole(repo, event.sender.login);
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
      face: "thread",
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
