import { parseCommand } from "../github/commands/parse.ts";
import type { CommentEvent, InboundEvent } from "../github/events.ts";
import { handleAssignment } from "./assignment.ts";
import { startFromIssueEvent } from "./issue-start.ts";
import { handleChangesRequested } from "./review-feedback.ts";
import { cancelTask } from "../tasks/cancel-task.ts";
import { loadRepoConfig } from "../tasks/repo-config.ts";
import { handleCommand } from "./commands.ts";
import { onChecksCompleted } from "../tasks/ci-fix/on-checks.ts";
import { renderConfigError } from "../render/config-error.ts";

import type { InboundContext } from "./inbound-context.ts";
/**
 * The worker half of every webhook: load the repository's settings, parse the
 * command with its command word, acknowledge with 👀, check the person's role,
 * then call the use case. Runs as a job, so a GitHub hiccup means a retry.
 */
export async function handleInbound(ctx: InboundContext, event: InboundEvent): Promise<void> {
  if (event.kind === "closed") return onClosed(ctx, event.repo, event.issueNumber, event.isPullRequest, event.sender.login);
  if (event.kind === "ci") return onChecksCompleted(ctx, event);
  if (event.kind === "changes_requested") {
    // Only a pull request OpenJules opened takes a review as feedback (the store says so before GitHub is asked); elsewhere it is a review's body.
    const asComment = await handleChangesRequested(ctx, event);
    return asComment ? handleInbound(ctx, asComment) : undefined;
  }
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

  if (event.kind === "assignment") return handleAssignment(ctx, event, loaded);

  const label = loaded.ok ? loaded.config.label : loaded.labelGuess;
  const triggered = event.kind === "labeled" ? event.label.toLowerCase() === label.toLowerCase() : event.labels.some((l) => l.toLowerCase() === label.toLowerCase());
  if (!triggered) return;
  if (!loaded.ok) return void (await ctx.gh.comment(repo, event.issueNumber, renderConfigError({ problems: loaded.problems })));
  // The label's sender is the caller, and the start the same use case as every face's (src/tasks/control/request-task.ts).
  await startFromIssueEvent(ctx, event, loaded.config, { reason: `label "${label}" added by @${event.sender.login}`, action: "start a task" });
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
