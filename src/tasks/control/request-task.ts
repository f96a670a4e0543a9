import { createHash } from "node:crypto";
import type { RepoConfig } from "../../config/repo-config.ts";
import { actorName, type Caller } from "../../domain/actor.ts";
import { canonicalJson } from "../../domain/plan-hash.ts";
import { isValidBranchName } from "../../github/commands/branch-name.ts";
import { MAX_COMMAND_TEXT } from "../../github/commands/command.ts";
import { httpStatus } from "../../github/http-status.ts";
import type { InstalledRepository } from "../../github/port.ts";
import type { NewTask } from "../../store/port.ts";
import type { UseCaseDeps } from "../deps.ts";
import { ownKeyAtStart } from "../own-key.ts";
import { type StartResult, startTask } from "../start-task.ts";
import { allow } from "./access.ts";
import type { ControlDeps } from "./deps.ts";
import type { CreateInput, Result } from "./port.ts";
import { repoSettings } from "./repo-settings.ts";
import { fail, ok } from "./result.ts";

/** What a start asks for, once the repository is known. */
export type StartRequest = Omit<CreateInput, "repository">;

/** The repository a task starts in: found by name (createTask) or carried by the webhook (the thread). */
export type StartWhere = Pick<InstalledRepository, "installationId" | "owner" | "repo" | "cloneUrl" | "defaultBranch">;

/**
 * What only the thread knows about a start: the trigger comment (its id cuts
 * the thread snapshot: the agent sees only comments before it, and a retried
 * inbound job of the same comment is the same start), the settings the
 * inbound job already loaded (the command word came from them), the issue's
 * title when the webhook carried it (a label: no issue lookup), and the
 * history's reason in the thread's words.
 */
export interface ThreadStart {
  commentId: number | null;
  config: RepoConfig;
  issueTitle?: string;
  reason: string;
}

export type StartDeps = UseCaseDeps & Pick<ControlDeps, "allowedModels">;

/**
 * The one way a person starts a task, on every face: the request checked
 * (checkRequest), the caller's write access (access.ts), the repository's
 * `.github/jules.yml`, the issue (it must be one, not a pull request), then
 * startTask: persisted with the caller's name and face in the history, the
 * one-active-task rule of an issue (`busy`), an idempotency key per caller
 * (`duplicate`, `conflict`) and a retried trigger (`duplicate`). createTask
 * (API, CLI, MCP, web) finds the installation from a repository name and
 * turns the outcome into its answer; the thread (src/worker) passes the
 * repository from the webhook and what it knows (ThreadStart), and answers
 * `busy` with its own reply.
 */
export async function requestTask(deps: StartDeps, caller: Caller, where: StartWhere, input: StartRequest, thread?: ThreadStart): Promise<Result<StartResult>> {
  const checked = checkRequest(input, deps.allowedModels);
  if (!checked.ok) return checked;
  const { instruction, model } = checked.value;
  const kind = input.kind ?? "issue";
  const allowed = await allow(deps, caller, "write", where);
  if (!allowed.ok) return allowed;
  const config = thread ? ok(thread.config) : await repoSettings(deps, where);
  if (!config.ok) return config;

  let issueTitle = instruction.split("\n")[0]?.slice(0, 200) ?? "";
  if (input.issue !== undefined && thread?.issueTitle !== undefined) issueTitle = thread.issueTitle;
  else if (input.issue !== undefined) {
    const issue = await findIssue(deps, where, input.issue);
    if (!issue) return fail("not_found", "Issue not found", `${where.owner}/${where.repo} has no issue #${input.issue}.`);
    // A question may be asked on a pull request (about its diff); a change there is a follow-up of the task that opened it.
    if (issue.isPullRequest && kind !== "ask") return fail("invalid", "Not an issue", `#${input.issue} is a pull request; send a message to the task that opened it instead.`);
    issueTitle = issue.title;
  }
  const who = actorName(caller.principal);
  const base = input.base ?? where.defaultBranch;
  const repository = `${where.owner}/${where.repo}`;
  const request: NewTask = {
    installationId: where.installationId,
    owner: where.owner,
    repo: where.repo,
    issueNumber: input.issue ?? null,
    kind,
    cloneUrl: where.cloneUrl,
    instruction,
    issueTitle,
    requestedBy: who,
    triggerCommentId: thread?.commentId ?? null,
    baseBranch: base,
    command: config.value.command,
    face: caller.face,
    model,
    // The provider the task will run on: the one of the model asked for, else the repository's (session.ts decides the same way).
    ownKey: await ownKeyAtStart(deps, caller, model?.includes(":") ? model.slice(0, model.indexOf(":")) : config.value.provider),
    idempotency: input.idempotencyKey ? { key: `${who}:${input.idempotencyKey}`, digest: requestDigest(repository, instruction, base, input.issue, model, kind) } : undefined,
  };
  return ok(await startTask(deps, request, thread?.reason ?? `created through ${caller.face} by ${who}`));
}

/** The request on its own (no GitHub call): instruction, base branch, issue number, and the operator's model rule. */
export function checkRequest(input: StartRequest, allowedModels: readonly string[]): Result<{ instruction: string; model: string | null }> {
  const instruction = input.instruction.trim();
  if (instruction.length > MAX_COMMAND_TEXT) return fail("invalid", "Instruction too long", `Keep the instruction under ${MAX_COMMAND_TEXT} characters.`);
  if (!instruction && input.kind === "ask") return fail("invalid", "Question missing", "Say what you want to know: a question's instruction is the question.");
  if (!instruction && input.issue === undefined) return fail("invalid", "Instruction missing", "Say what to do (or name an issue whose text is the task).");
  if (input.kind !== undefined && input.kind !== "issue" && input.kind !== "ask") return fail("invalid", "Invalid kind", "A task's kind is issue (a change) or ask (a question).");
  if (input.base !== undefined && !isValidBranchName(input.base)) return fail("invalid", "Invalid base branch", `"${input.base.slice(0, 100)}" is not a valid branch name.`);
  if (input.issue !== undefined && (!Number.isSafeInteger(input.issue) || input.issue <= 0)) return fail("invalid", "Invalid issue", "The issue is a positive number.");
  const model = input.model?.trim() || null;
  if (model && !modelAllowed(model, allowedModels)) {
    const allowed = allowedModels.length > 0 ? `the allowed ones are ${allowedModels.join(", ")}` : "the operator allows none (JULES_ALLOWED_MODELS is empty)";
    return fail("invalid", "Model not allowed", `${model} is not allowed here: ${allowed}. Leave the model out to use the repository's.`);
  }
  return ok({ instruction, model });
}

/** `provider:model` or a bare model, as JULES_ALLOWED_MODELS lists them (a bare entry allows it under any provider). */
export function modelAllowed(model: string, allowed: readonly string[]): boolean {
  const bare = model.includes(":") ? model.slice(model.indexOf(":") + 1) : model;
  return allowed.some((entry) => entry === model || entry === bare || (!model.includes(":") && entry.endsWith(`:${model}`)));
}

function requestDigest(repository: string, instruction: string, base: string, issue: number | undefined, model: string | null, kind: "issue" | "ask"): string {
  // A question's digest names its kind; a change's is as it always was, so keys stored before questions still match.
  return createHash("sha256")
    .update(canonicalJson({ repository: repository.toLowerCase(), instruction, base, issue: issue ?? null, model, ...(kind === "ask" ? { kind } : {}) }))
    .digest("hex");
}

async function findIssue(deps: Pick<UseCaseDeps, "github">, where: StartWhere, number: number) {
  const gh = await deps.github.forInstallation(where.installationId);
  try {
    return await gh.issue(where, number);
  } catch (error) {
    if (httpStatus(error) === 404 || httpStatus(error) === 410) return null;
    throw error;
  }
}
