import type { Context } from "probot";
import { actor, repoInfo } from "../events.ts";
import type { Intake } from "../intake.ts";

/** `issues.labeled`: the trigger label (checked by the worker against jules.yml) starts a task. */
export async function onIssueLabeled(context: Context<"issues.labeled">, intake: Intake) {
  const { issue, label, repository, installation, sender } = context.payload;
  if (!installation || !label) return;
  await intake.accept(
    {
      kind: "labeled",
      installationId: installation.id,
      repo: repoInfo(repository),
      issueNumber: issue.number,
      isPullRequest: false,
      label: label.name,
      issueTitle: issue.title,
      sender: actor(sender),
    },
    context.id,
  );
}

/** `issues.opened`: an issue opened with the trigger label already on it starts a task. */
export async function onIssueOpened(context: Context<"issues.opened">, intake: Intake) {
  const { issue, repository, installation, sender } = context.payload;
  const labels = (issue.labels ?? []).map((l) => l.name);
  if (!installation || labels.length === 0) return;
  await intake.accept(
    {
      kind: "opened",
      installationId: installation.id,
      repo: repoInfo(repository),
      issueNumber: issue.number,
      isPullRequest: false,
      labels,
      issueTitle: issue.title,
      sender: actor(sender),
    },
    context.id,
  );
}

/** `issues.assigned` / `issues.unassigned`: assigning the configured account (checked by the worker) starts a task, unassigning it cancels one not yet at work. */
export async function onIssueAssignment(context: Context<"issues.assigned"> | Context<"issues.unassigned">, intake: Intake) {
  const { issue, assignee, repository, installation, sender } = context.payload;
  if (!installation || !assignee) return;
  await intake.accept(
    {
      kind: "assignment",
      action: context.payload.action,
      installationId: installation.id,
      repo: repoInfo(repository),
      issueNumber: issue.number,
      isPullRequest: false,
      assignee: assignee.login,
      issueTitle: issue.title,
      sender: actor(sender),
    },
    context.id,
  );
}

/** `issues.closed` / `pull_request.closed`: closing the thread cancels its active task. */
export async function onClosed(context: Context<"issues.closed"> | Context<"pull_request.closed">, intake: Intake) {
  const { repository, installation, sender } = context.payload;
  if (!installation) return;
  const isPullRequest = "pull_request" in context.payload && context.name === "pull_request";
  const number = "pull_request" in context.payload ? context.payload.pull_request.number : context.payload.issue.number;
  await intake.accept({ kind: "closed", installationId: installation.id, repo: repoInfo(repository), issueNumber: number, isPullRequest, sender: actor(sender) }, context.id);
}
