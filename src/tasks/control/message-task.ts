import { actorName, type Caller } from "../../domain/actor.ts";
import type { Task } from "../../domain/model.ts";
import { MAX_COMMAND_TEXT } from "../../github/commands/command.ts";
import { revisePlan } from "../revise-plan.ts";
import { startFollowUp } from "../start-follow-up.ts";
import { taskFor } from "./access.ts";
import type { UseCaseDeps } from "../deps.ts";
import type { ControlDeps } from "./deps.ts";

type MessageDeps = UseCaseDeps & Pick<ControlDeps, "ownLogin">;
import type { MessageDelivery, Result } from "./port.ts";
import { fail, ok } from "./result.ts";
import { revised } from "./revise-task.ts";

type Delivered = Result<{ task: Task; delivery: MessageDelivery }>;

/**
 * Text for a task, taken where the task is:
 * - working or testing: queued for the agent, which reads it at its next turn (store.addMessage);
 * - paused: queued the same way, and so read at the agent's first turn once the task is resumed
 *   (the resumed run takes the waiting messages like any other turn);
 * - awaiting approval: the feedback of a revision (a new plan);
 * - done with a pull request: a follow-up on that pull request, as `/jules <text>` on it would be;
 * - anything else: refused, with what to do instead.
 */
export async function messageTask(deps: MessageDeps, caller: Caller, id: string, input: { text: string }): Promise<Delivered> {
  const text = input.text.trim().slice(0, MAX_COMMAND_TEXT);
  if (!text) return fail("invalid", "Message missing", "Write what the task should know or do.");
  const found = await taskFor(deps, caller, id, "write");
  if (!found.ok) return found;
  const task = found.value;
  const by = actorName(caller.principal);
  switch (task.state) {
    case "working":
    case "testing":
    case "paused": {
      const later = task.state === "paused";
      await deps.store.addMessage(task.id, { author: by, face: caller.face, body: text });
      const who = by === "operator" ? "The operator" : `@${by}`;
      await deps.status.refresh(task, `${who} sent a message; ${later ? "it is delivered when the task resumes" : "the agent reads it at its next turn"}.`);
      return ok({ task, delivery: later ? "on_resume" : "next_turn" });
    }
    case "awaiting_approval": {
      const result = revised(await revisePlan(deps, { task, by, feedback: text, face: caller.face }));
      return result.ok ? ok({ task: result.value, delivery: "revision" }) : result;
    }
    case "done":
      if (task.pullRequestNumber !== null && task.branch) return followUp(deps, caller, task, text);
      return fail("conflict", "Task finished", `Task ${id} is done without a pull request to add to; start a new task with your text instead.`);
    default:
      return fail("conflict", "Task cannot take a message now", `Task ${id} is ${task.state}: ${WHAT_TO_DO[task.state] ?? "start a new task with your text instead."}`);
  }
}

const WHAT_TO_DO: Partial<Record<Task["state"], string>> = {
  queued: "wait until its plan is ready, then send your text as a revision (or approve it and send it while it works).",
  planning: "wait until its plan is ready, then send your text as a revision.",
  revising: "wait until the new plan is ready, then send your text as another revision.",
  approved: "its work is about to start; send your text once it is working.",
};

async function followUp(deps: MessageDeps, caller: Caller, origin: Task, text: string): Promise<Delivered> {
  const gh = await deps.github.forInstallation(origin.installationId);
  const by = actorName(caller.principal);
  const result = await startFollowUp(deps, {
    origin,
    pullRequestNumber: origin.pullRequestNumber ?? 0,
    feedback: text,
    location: null,
    requestedBy: by,
    face: caller.face,
    command: origin.command,
    triggerCommentId: null,
    triggerCreatedAt: deps.now().toISOString(),
    gh,
    ownLogin: deps.ownLogin(),
  });
  if (result.kind === "busy") {
    return fail(
      "conflict",
      "Pull request busy",
      `Pull request #${origin.pullRequestNumber} already has a task running (${result.active.id}, ${result.active.state}); send your text to it, or wait until it ends.`,
    );
  }
  return ok({ task: result.task, delivery: "follow_up" });
}
