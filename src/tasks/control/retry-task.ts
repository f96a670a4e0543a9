import { actorName, type Caller } from "../../domain/actor.ts";
import type { Task } from "../../domain/model.ts";
import { ownKeyAtStart } from "../own-key.ts";
import { enqueueTaskJob } from "../task-jobs.ts";
import { taskFor } from "./access.ts";
import type { ControlDeps } from "./deps.ts";
import type { Result } from "./port.ts";
import { fail, ok } from "./result.ts";

/**
 * A failed or cancelled task again. Final states stay final: a NEW task is
 * made with the same request (repository, issue, instruction, base branch,
 * requester, model) and starts from planning, so a fresh plan is approved. A
 * follow-up is retried with its feedback as the already-approved plan, as the
 * original was. The new task's status comment is posted before its job runs.
 */
export async function retryTask(deps: ControlDeps, caller: Caller, id: string): Promise<Result<Task>> {
  const found = await taskFor(deps, caller, id, "write");
  if (!found.ok) return found;
  const old = found.value;
  if (old.state === "done") return fail("conflict", "Task done", `Task ${id} is done; there is nothing to retry. Start new work with a new task.`);
  if (old.state !== "failed" && old.state !== "cancelled")
    return fail("conflict", "Task still live", `Task ${id} is still ${old.state}; only a failed or cancelled task can be retried (cancel it first).`);
  const approvedHash = old.kind === "follow_up" ? (old.approvedPlanHash ?? old.planHash) : null;
  if (old.kind === "follow_up" && (!old.plan || !approvedHash)) {
    return fail("conflict", "Nothing to retry", `Follow-up task ${id} has no recorded plan, so it cannot be retried; comment on the pull request again.`);
  }
  const actor = actorName(caller.principal);
  const { installationId, owner, repo, issueNumber, kind, cloneUrl, instruction, issueTitle, requestedBy, baseBranch, command, model } = old;
  // A task that ran on an own key is retried on the retrier's key for that provider, if they saved one; else on the operator's.
  const ownKey = old.ownKey && (await ownKeyAtStart(deps, caller, old.ownKey.provider));
  const created = await deps.store.create(
    {
      ...{ installationId, owner, repo, issueNumber, kind, cloneUrl, instruction, issueTitle, requestedBy, baseBranch, command, model },
      ...{ face: caller.face, triggerCommentId: null, ownKey },
    },
    actor,
    `retry of task ${old.id}`,
  );
  if (!created.created) {
    const active = "active" in created ? created.active : "replayed" in created ? created.replayed : created.conflict;
    return fail("conflict", "Issue busy", `${owner}/${repo}#${issueNumber} already has an active task, ${active.id} (${active.state}); retry after that one ends.`);
  }
  let task = created.task;
  if (approvedHash) {
    const approved = await deps.store.transition(task.id, {
      from: "queued",
      to: "approved",
      actor,
      face: caller.face,
      reason: `retry of follow-up ${old.id}`,
      patch: {
        plan: old.plan,
        planHash: approvedHash,
        planContext: old.planContext,
        approvedBy: old.approvedBy,
        approvalKind: old.approvalKind,
        approvedPlanHash: approvedHash,
        branch: old.branch,
        pullRequestNumber: old.pullRequestNumber,
        pullRequestUrl: old.pullRequestUrl,
      },
    });
    if (!approved) return fail("conflict", "Retry interrupted", `The new task ${task.id} changed state before it could be approved; look at it.`);
    task = approved;
  }
  try {
    task = await deps.status.create(task);
  } catch (err) {
    deps.log.warn({ err, taskId: task.id }, "could not post the status comment of a retried task; the worker posts it");
  }
  await enqueueTaskJob(deps.queue, task, approvedHash ? { execute: approvedHash } : "plan");
  return ok(task);
}
