import { createHash } from "node:crypto";
import { actorName, type Caller } from "../../domain/actor.ts";
import { canonicalJson } from "../../domain/plan-hash.ts";
import type { Task } from "../../domain/model.ts";
import { isValidBranchName } from "../../github/commands/branch-name.ts";
import { MAX_COMMAND_TEXT } from "../../github/commands/command.ts";
import { httpStatus } from "../../github/http-status.ts";
import type { NewTask } from "../../store/port.ts";
import { startTask } from "../start-task.ts";
import { allow } from "./access.ts";
import type { ControlDeps } from "./deps.ts";
import type { CreateInput, Result } from "./port.ts";
import { repoSettings } from "./repo-settings.ts";
import { notInstalled } from "./repositories.ts";
import { fail, ok } from "./result.ts";

/**
 * A new task from outside the thread. The repository must be one the app is
 * installed on, and the caller a writer there; its `.github/jules.yml`
 * applies as in the thread. With `issue`, the task lives in that issue as if
 * `/jules <instruction>` had been written there (status and plan comments);
 * without, it has no thread and is followed through the faces. `model` must
 * be allowed by the operator. A retried request with the same idempotency
 * key answers the task the first one made (`created: false`).
 */
export async function createTask(deps: ControlDeps, caller: Caller, input: CreateInput): Promise<Result<{ task: Task; created: boolean }>> {
  const [owner, repo, extra] = input.repository.split("/");
  if (!owner || !repo || extra !== undefined) return fail("invalid", "Invalid repository", `"${input.repository.slice(0, 100)}" is not owner/name.`);
  const instruction = input.instruction.trim();
  if (instruction.length > MAX_COMMAND_TEXT) return fail("invalid", "Instruction too long", `Keep the instruction under ${MAX_COMMAND_TEXT} characters.`);
  if (!instruction && input.issue === undefined) return fail("invalid", "Instruction missing", "Say what to do (or name an issue whose text is the task).");
  if (input.base !== undefined && !isValidBranchName(input.base)) return fail("invalid", "Invalid base branch", `"${input.base.slice(0, 100)}" is not a valid branch name.`);
  if (input.issue !== undefined && (!Number.isSafeInteger(input.issue) || input.issue <= 0)) return fail("invalid", "Invalid issue", "The issue is a positive number.");
  const model = input.model?.trim() || null;
  if (model && !modelAllowed(model, deps.allowedModels)) {
    const allowed = deps.allowedModels.length > 0 ? `the allowed ones are ${deps.allowedModels.join(", ")}` : "the operator allows none (JULES_ALLOWED_MODELS is empty)";
    return fail("invalid", "Model not allowed", `${model} is not allowed here: ${allowed}. Leave the model out to use the repository's.`);
  }

  const installed = await deps.installations.find({ owner, repo });
  if (!installed) return notInstalled(input.repository);
  const allowed = await allow(deps, caller, "write", installed);
  if (!allowed.ok) return allowed;
  const config = await repoSettings(deps, installed);
  if (!config.ok) return config;

  let issueTitle = instruction.split("\n")[0]?.slice(0, 200) ?? "";
  if (input.issue !== undefined) {
    const issue = await findIssue(deps, installed, input.issue);
    if (!issue) return fail("not_found", "Issue not found", `${installed.fullName} has no issue #${input.issue}.`);
    if (issue.isPullRequest) return fail("invalid", "Not an issue", `#${input.issue} is a pull request; send a message to the task that opened it instead.`);
    issueTitle = issue.title;
  }
  const who = actorName(caller.principal);
  const base = input.base ?? installed.defaultBranch;
  const request: NewTask = {
    installationId: installed.installationId,
    owner: installed.owner,
    repo: installed.repo,
    issueNumber: input.issue ?? null,
    kind: "issue",
    cloneUrl: installed.cloneUrl,
    instruction,
    issueTitle,
    requestedBy: who,
    triggerCommentId: null,
    baseBranch: base,
    command: config.value.command,
    face: caller.face,
    model,
    idempotency: input.idempotencyKey ? { key: `${who}:${input.idempotencyKey}`, digest: requestDigest(installed.fullName, instruction, base, input.issue, model) } : undefined,
  };
  const started = await startTask(deps, request, `created through ${caller.face} by ${who}`);
  switch (started.kind) {
    case "started":
      return ok({ task: started.task, created: true });
    case "duplicate":
      return ok({ task: started.task, created: false });
    case "conflict":
      return fail("conflict", "Idempotency key reused", `The idempotency key was used before for another request (task ${started.task.id}); use a new key for a new task.`);
    case "busy":
      return fail("conflict", "Issue busy", `#${input.issue} already has a task running (${started.active.id}, ${started.active.state}); send it a message, or cancel it first.`);
  }
}

/** `provider:model` or a bare model, as JULES_ALLOWED_MODELS lists them (a bare entry allows it under any provider). */
export function modelAllowed(model: string, allowed: readonly string[]): boolean {
  const bare = model.includes(":") ? model.slice(model.indexOf(":") + 1) : model;
  return allowed.some((entry) => entry === model || entry === bare || (!model.includes(":") && entry.endsWith(`:${model}`)));
}

function requestDigest(repository: string, instruction: string, base: string, issue: number | undefined, model: string | null): string {
  return createHash("sha256")
    .update(canonicalJson({ repository: repository.toLowerCase(), instruction, base, issue: issue ?? null, model }))
    .digest("hex");
}

async function findIssue(deps: ControlDeps, where: { installationId: number; owner: string; repo: string }, number: number) {
  const gh = await deps.github.forInstallation(where.installationId);
  try {
    return await gh.issue(where, number);
  } catch (error) {
    if (httpStatus(error) === 404 || httpStatus(error) === 410) return null;
    throw error;
  }
}
