import type { UseCaseDeps } from "./deps.ts";
import type { Face } from "../domain/actor.ts";
import type { Task, TaskState } from "../domain/model.ts";
import { ACTIVE } from "../domain/state-machine.ts";

/**
 * `/cancel`, or the issue or pull request being closed. Running jobs notice
 * (they watch the task's state) and stop; nothing is pushed after this.
 */
export async function cancelTask(
  deps: UseCaseDeps,
  /** `from`: only from these states (by default any active one); null when the task is in none of them by then. */
  input: { task: Task; by: string; reason: string; face?: Face; from?: readonly TaskState[] },
): Promise<Task | null> {
  const phase = input.task.state;
  const cancelled = await deps.store.transition(input.task.id, {
    from: input.from ?? ACTIVE,
    to: "cancelled",
    actor: input.by,
    face: input.face ?? "thread",
    reason: input.reason || "cancelled",
    patch: {
      failure: {
        phase,
        reason: `Cancelled by ${input.by === "operator" ? "the operator" : `@${input.by}`}${input.reason ? `: ${input.reason}` : "."}`,
        hint: "Start a new task with a new command or label when you are ready.",
      },
    },
  });
  if (cancelled) await deps.status.refresh(cancelled);
  return cancelled;
}
