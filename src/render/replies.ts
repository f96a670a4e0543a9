/**
 * Short, polite replies to a command that cannot be carried out, each naming
 * what the person can do instead: not allowed (their role shown), a task is
 * already active, no task, nothing to approve or revise, the plan changed
 * before the approval arrived, already approved, the four-eyes rule, no
 * agent configured, a task started on a pull request, an unknown command
 * (answered with the help), the issue edited after its plan was written, and
 * a pause or resume that cannot be done (in the use case's own words). `login`, when given, is mentioned at the start.
 */
import type { RepoConfig } from "../config/repo-config.ts";
import type { Task } from "../domain/model.ts";
import { isTerminal } from "../domain/state-machine.ts";
import { code, commandWord, inline, link, mention, user } from "./escape.ts";
import { helpBody } from "./help.ts";
import { STATE_WORDS } from "./words.ts";

interface Addressed {
  /** The person the reply answers; mentioned at its start. */
  login?: string;
}

/** "@alice, " + the sentence, or the sentence with a capital letter when there is nobody to address. */
function to(login: string | undefined, sentence: string): string {
  return login ? `${mention(login)}, ${sentence}\n` : `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}\n`;
}

const startHint = (command: string) => `Start one with \`/${commandWord(command)} <what to do>\`.`;

/** While a plan is being made: when it will come; after approval: how to stop. */
function whatNow(task: Task): string {
  if (task.state === "queued" || task.state === "planning" || task.state === "revising") return " I will post the plan when it is ready.";
  if (task.state === "approved" || task.state === "working" || task.state === "testing") return " Its plan is already approved; `/cancel` stops it.";
  if (task.state === "paused") return " It is paused; resume it or `/cancel` it.";
  return "";
}

export function notAllowed(input: { login: string; role: string | null; action: string }): string {
  const role = input.role && input.role !== "none" ? `your role here is ${code(input.role, 40)}` : "you are not a collaborator of this repository";
  return to(
    input.login,
    `only people with write access to this repository (role admin, maintain or write) can ${inline(input.action, 80)}; ${role}, so I did nothing. ` +
      "A maintainer can run the command for you.",
  );
}

export function busy(input: Addressed & { task: Task; command: string; statusUrl?: string }): string {
  const { task } = input;
  const status = input.statusUrl ? ` (${link("status", input.statusUrl)})` : "";
  const next =
    task.state === "awaiting_approval"
      ? "Reply `/approve` to go ahead with its plan, `/revise <what to change>` to change it, or `/cancel` to stop it."
      : task.state === "queued" || task.state === "planning" || task.state === "revising"
        ? "Reply `/cancel` to stop it, or wait for its plan and reply `/revise <what to change>`."
        : "Its plan is already approved: reply `/cancel` to stop it, then start again.";
  return to(input.login, `a task is already under way on this issue: it is ${STATE_WORDS[task.state]}${status}. One task per issue at a time. ${next}`);
}

export function noTask(input: Addressed & { command: string }): string {
  return to(input.login, `there is no active task on this issue. ${startHint(input.command)}`);
}

export function notOnPullRequest(input: Addressed & { command: string }): string {
  return to(
    input.login,
    `I only take follow-ups on pull requests I opened. A new task starts from an issue: write \`/${commandWord(input.command)} <what to do>\` on the issue you want solved.`,
  );
}

export function followUpNeedsText(input: Addressed & { command: string }): string {
  return to(input.login, `tell me what to change on this pull request, e.g. \`/${commandWord(input.command)} rename the helper and add a test\`.`);
}

export function nothingToApprove(input: Addressed & { task: Task; command: string }): string {
  const { task } = input;
  if (isTerminal(task.state)) return to(input.login, `there is nothing to approve: the task is ${STATE_WORDS[task.state]}. ${startHint(input.command)}`);
  return to(input.login, `there is no plan waiting for approval: the task is ${STATE_WORDS[task.state]}.${whatNow(task)}`);
}

export function nothingToRevise(input: Addressed & { task: Task; command: string }): string {
  const { task } = input;
  if (isTerminal(task.state)) return to(input.login, `there is no plan to revise: the task is ${STATE_WORDS[task.state]}. ${startHint(input.command)}`);
  return to(input.login, `there is no plan to revise right now: the task is ${STATE_WORDS[task.state]}.${whatNow(task)}`);
}

export function planOutdated(input: Addressed & { task: Task; command: string; planUrl?: string }): string {
  const version = `plan v${input.task.planVersion}`;
  const plan = input.planUrl ? link(version, input.planUrl) : `the latest plan (v${input.task.planVersion})`;
  const earlier = input.task.planVersion > 1 ? "it was for an earlier plan, and " : "";
  return to(
    input.login,
    `your approval was written before ${version} was posted, so ${earlier}nothing was approved. \`/approve\` applies to the latest plan only: please read ${plan} and reply \`/approve\` again if it looks right.`,
  );
}

export function alreadyApproved(input: Addressed & { task: Task }): string {
  const by = input.task.approvedBy ? ` by ${user(input.task.approvedBy)}` : "";
  return to(input.login, `this plan was already approved${by}; the task is ${STATE_WORDS[input.task.state]}. \`/cancel\` stops it.`);
}

export function fourEyes(input: { login: string }): string {
  return to(
    input.login,
    "this repository uses the four-eyes rule (`approvers: others`): the person who asked for a task cannot approve its plan. Someone else with write access needs to reply `/approve`.",
  );
}

export function unknownCommand(input: Addressed & { word: string; config: RepoConfig }): string {
  const c = `/${commandWord(input.config.command)}`;
  const intro =
    input.word === "revise"
      ? "`/revise` needs feedback after it: what should change in the plan, e.g. `/revise also update the README`."
      : input.word === "ask"
        ? `\`${c} ask\` needs a question after it, e.g. \`${c} ask where is the retry limit set?\`.`
        : input.word === "--base"
          ? `\`--base\` needs a valid branch name after it, e.g. \`${c} --base release/1.x fix the crash\`.`
          : `${code(input.word, 40)} is not a command I know. To start a task, write what you want after the command, e.g. \`${c} fix the crash on empty lists\`, or \`${c}\` alone to work on the issue as written.`;
  return `${to(input.login, intro)}\n${helpBody(input.config)}\n`;
}

/** The issue changed after the plan being carried out was written: the approved text is used, not the edit. */
export function issueEditedAfterPlan(input: Addressed & { task: Task; command: string }): string {
  const { task } = input;
  const approver = task.approvalKind !== "auto" && task.approvedBy ? task.approvedBy : undefined;
  return to(
    input.login ?? approver,
    `the issue's title or description was edited after plan v${task.planVersion} was written. ` +
      "I am carrying out the approved plan with the issue as it read when the plan was written; the edit is not used. " +
      `To work from the new text, reply \`/cancel\`, then start a new task with \`/${commandWord(input.command)}\`.`,
  );
}

/** A command the task cannot take now (pause, resume): what the use case said, which names what to do instead. */
export function cannotNow(input: Addressed & { detail: string }): string {
  return to(input.login, `${inline(input.detail, 1000)} I did nothing.`);
}
