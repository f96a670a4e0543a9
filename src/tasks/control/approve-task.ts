import type { RepoConfig } from "../../config/repo-config.ts";
import type { ApprovalComment } from "../../domain/approval-order.ts";
import { actorName, type Caller } from "../../domain/actor.ts";
import type { Task } from "../../domain/model.ts";
import { approvePlan, type ApproveResult } from "../approve-plan.ts";
import { taskFor } from "./access.ts";
import type { UseCaseDeps } from "../deps.ts";
import type { Result } from "./port.ts";
import { repoSettings } from "./repo-settings.ts";
import { fail, ok } from "./result.ts";

/**
 * Approving the current plan (approve-plan.ts), checked like every write. A
 * comment in the thread is ordered against the plan comment; through any
 * other face there is no comment, and the approval answers the plan current
 * now. The four-eyes rule (`approvers: others`) holds on every face; the
 * operator is not the requester of anyone's task, so it may always approve.
 */
export async function approveTask(
  deps: UseCaseDeps,
  caller: Caller,
  id: string,
  input: { note?: string; comment?: ApprovalComment; config?: RepoConfig },
): Promise<Result<ApproveResult>> {
  const found = await taskFor(deps, caller, id, "write");
  if (!found.ok) return found;
  const task = found.value;
  // The thread has loaded the repository's settings already.
  const config = input.config ? ok(input.config) : await repoSettings(deps, task);
  if (!config.ok) return config;
  const login = actorName(caller.principal);
  const approval = { kind: "person" as const, login, note: input.note ?? "", comment: input.comment ?? null, face: caller.face };
  // The operator approves as itself; four-eyes compares the approver with the requester.
  const rules = caller.principal.kind === "operator" && task.requestedBy === "operator" ? { ...config.value, approvers: "writers" as const } : config.value;
  return ok(await approvePlan(deps, { task, approval, config: rules }));
}

/** The control plane's answer: the approved task, or why not. */
export function approvedOrWhy(result: ApproveResult): Result<Task> {
  const { task } = result;
  switch (result.kind) {
    case "approved":
      return ok(task);
    case "not_waiting":
      return fail("conflict", "Plan not waiting for approval", `Task ${task.id} is ${task.state}; only a plan waiting for approval can be approved.`);
    case "outdated":
      return fail("conflict", "Plan changed", `A newer plan (v${task.planVersion}) was posted; read it, then approve again.`);
    case "own_plan":
      return fail(
        "forbidden",
        "Four-eyes rule",
        `This repository requires someone other than ${task.requestedBy}, who asked for the task, to approve its plan (approvers: others in .github/jules.yml).`,
      );
    case "already":
      return fail("conflict", "Already approved", `Task ${task.id} was approved already${task.approvedBy ? ` by ${task.approvedBy}` : ""}; it is ${task.state}.`);
  }
}
