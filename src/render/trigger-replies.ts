/**
 * What OpenJules says about the triggers that are not commands: an issue
 * unassigned from its account while its task is already at work (it keeps
 * going, and how to stop it), a review requesting changes while a follow-up
 * is under way, and the reply in each review thread a follow-up addressed.
 */
import type { Task } from "../domain/model.ts";
import { code, commandWord, link, mention, user } from "./escape.ts";
import { STATE_WORDS } from "./words.ts";

const SHORT_SHA = 7;

/** Unassigned once the plan was approved: the work goes on; `/cancel` stops it. */
export function keepsGoingAfterUnassign(input: { login: string; assignee: string; task: Task }): string {
  const { task } = input;
  const where = task.state === "paused" ? "it is paused" : `its plan is approved and it is ${STATE_WORDS[task.state]}`;
  return (
    `${mention(input.login)}, ${user(input.assignee)} was unassigned, but the task on this issue keeps going: ${where}. ` +
    "Unassigning only cancels a task that has not started its work. Reply `/cancel` to stop it.\n"
  );
}

/** A review requesting changes while a task is already under way on the pull request: nothing new started. */
export function reviewWhileBusy(input: { login: string; task: Task; command: string }): string {
  const word = commandWord(input.command);
  return (
    `${mention(input.login)}, I did not start on your review: a task is already under way on this pull request (it is ${STATE_WORDS[input.task.state]}), and I work on one at a time. ` +
    `Once it has finished, request changes again or comment \`/${word} <what to change>\`; \`/cancel\` stops the one under way.\n`
  );
}

/** The reply in a review thread the follow-up worked on: the commit, and that resolving is left to the reviewer. */
export function reviewThreadAddressed(input: { webBase: string; task: Pick<Task, "owner" | "repo">; sha: string }): string {
  const short = code(input.sha.slice(0, SHORT_SHA), SHORT_SHA);
  const url = `${input.webBase.replace(/\/+$/, "")}/${encodeURIComponent(input.task.owner)}/${encodeURIComponent(input.task.repo)}/commit/${encodeURIComponent(input.sha)}`;
  return `Worked on this in ${link(short, url)}, the follow-up to this review. I resolve nothing myself: resolve the thread if the change does what you asked.\n`;
}
