import type { Caller } from "../../domain/actor.ts";
import type { Task } from "../../domain/model.ts";
import type { ControlDeps } from "./deps.ts";
import type { CreateInput, Result } from "./port.ts";
import { checkRequest, requestTask } from "./request-task.ts";
import { notInstalled } from "./repositories.ts";
import { fail, ok } from "./result.ts";

/**
 * A new task from outside the thread. The repository must be one the app is
 * installed on, and the caller a writer there; its `.github/jules.yml`
 * applies as in the thread. With `issue`, the task lives in that issue as if
 * `/jules <instruction>` had been written there (status and plan comments);
 * without, it has no thread and is followed through the faces. `model` must
 * be allowed by the operator. A retried request with the same idempotency
 * key answers the task the first one made (`created: false`). The start
 * itself is requestTask (request-task.ts), the one the thread's `/jules` and
 * label use too; this finds the installation from the repository's name.
 */
export async function createTask(deps: ControlDeps, caller: Caller, input: CreateInput): Promise<Result<{ task: Task; created: boolean }>> {
  const [owner, repo, extra] = input.repository.split("/");
  if (!owner || !repo || extra !== undefined) return fail("invalid", "Invalid repository", `"${input.repository.slice(0, 100)}" is not owner/name.`);
  // Checked again by requestTask; here first, so a request that cannot be met costs no GitHub call.
  const checked = checkRequest(input, deps.allowedModels);
  if (!checked.ok) return checked;
  const installed = await deps.installations.find({ owner, repo });
  if (!installed) return notInstalled(input.repository);
  const started = await requestTask(deps, caller, installed, input);
  if (!started.ok) return started;
  const outcome = started.value;
  switch (outcome.kind) {
    case "started":
      return ok({ task: outcome.task, created: true });
    case "duplicate":
      return ok({ task: outcome.task, created: false });
    case "conflict":
      return fail("conflict", "Idempotency key reused", `The idempotency key was used before for another request (task ${outcome.task.id}); use a new key for a new task.`);
    case "busy":
      return fail("conflict", "Issue busy", `#${input.issue} already has a task running (${outcome.active.id}, ${outcome.active.state}); send it a message, or cancel it first.`);
  }
}
