/**
 * The answer comment: posted instead of a plan when the request was a
 * question that needs no code change, or for a question (`/jules ask`), which
 * never changes code. Says so, what the answer cost (the usage line), and how
 * to ask for a change.
 */
import type { Plan, Task, Usage } from "../domain/model.ts";
import { block, commandWord } from "./escape.ts";
import { COMMENT_BUDGET } from "./limits.ts";
import { commentMarker } from "./markers.ts";
import { hasUsage, renderUsage } from "./usage.ts";

export interface AnswerInput {
  task: Task;
  answer: string;
  /** The command word from jules.yml. */
  command: string;
  /** What finding the answer cost (the task's usage); no cost line without it. */
  usage?: Usage | null | undefined;
}

export function renderAnswer({ task, answer, command, usage }: AnswerInput): string {
  const change = `To have code changed, reply \`/${commandWord(command)} <what to do>\`.`;
  const why = task.kind === "ask" ? "This was a question, so nothing was changed: no plan, no branch, no pull request." : "No code change was needed, so there is no plan.";
  return (
    [
      `${commentMarker("answer", task.id)}\n### 💬 Answer`,
      block(answer, COMMENT_BUDGET - 1000) || "_The answer was empty._",
      "---",
      [hasUsage(usage) ? `<sub>Cost of this answer: ${renderUsage(usage)}</sub>` : null, `<sub>${why} ${change}</sub>`].filter((line) => line !== null).join("\n"),
    ].join("\n\n") + "\n"
  );
}

/**
 * A plan returned for a question (by an agent that ignored its tools) as the
 * answer's text: how the change could be made, said as such. It is never a
 * plan to approve.
 */
export function planAsAnswer(plan: Plan): string {
  const steps = plan.steps.map((step, i) => {
    const files = step.files.length > 0 ? ` (${step.files.map((f) => `\`${f}\``).join(", ")})` : "";
    return `${i + 1}. ${step.title}${files}${step.detail ? `: ${step.detail}` : ""}`;
  });
  const risks = plan.risks.length > 0 ? `\n\n**Open questions:**\n${plan.risks.map((r) => `- ${r}`).join("\n")}` : "";
  return `${plan.summary}\n\n**How the change could be made** (nothing was changed):\n${steps.join("\n")}${risks}\n\n**How it could be checked:** ${plan.verification}`;
}
