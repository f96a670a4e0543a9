/**
 * The answer comment: posted instead of a plan when the request was a
 * question that needs no code change. Says so, and how to ask for a change.
 */
import type { Task } from "../domain/model.ts";
import { block, commandWord } from "./escape.ts";
import { COMMENT_BUDGET } from "./limits.ts";
import { commentMarker } from "./markers.ts";

export interface AnswerInput {
  task: Task;
  answer: string;
  /** The command word from jules.yml. */
  command: string;
}

export function renderAnswer({ task, answer, command }: AnswerInput): string {
  return (
    [
      `${commentMarker("answer", task.id)}\n### 💬 Answer`,
      block(answer, COMMENT_BUDGET - 1000) || "_The answer was empty._",
      "---",
      `<sub>No code change was needed, so there is no plan. To have code changed, reply \`/${commandWord(command)} <what to do>\`.</sub>`,
    ].join("\n\n") + "\n"
  );
}
