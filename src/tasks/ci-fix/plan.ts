import type { CiFailure, Plan, Task } from "../../domain/model.ts";

/**
 * What a CI fix follow-up is asked and planned to do. The instruction and the
 * plan name the checks only; what they said (CI output, which can say
 * anything) reaches the agent as the follow-up's feedback, delimited as
 * untrusted data (agent.ts), never as part of the plan.
 */

const names = (checks: readonly string[]) =>
  checks
    .slice(0, 10)
    .map((c) => `"${c.replace(/\s+/g, " ").slice(0, 100)}"`)
    .join(", ");

/** The follow-up's instruction: which checks to make pass, on which commit. */
export function ciInstruction(ci: Pick<CiFailure, "checks" | "headSha">): string {
  return (
    `Make the failing checks pass: ${names(ci.checks)} failed on commit ${ci.headSha.slice(0, 12)}. ` +
    "What they said is in the follow-up feedback: find the cause in the code and fix it; do not weaken or skip tests or checks to make them pass."
  );
}

export function ciPlan(pullRequestNumber: number, ci: CiFailure): Plan {
  return {
    summary: `Fix the checks that fail on pull request #${pullRequestNumber}: ${names(ci.checks)}.`,
    steps: [
      { title: "Read what each failing check said and find the cause in the code", files: [] },
      { title: "Fix the cause on the pull request's branch", files: [] },
    ],
    risks: ["A check may fail for a reason outside the code (its environment, a secret it lacks, a flaky test)."],
    verification: "Run the repository's tests, and the failing checks' commands where they can run in the sandbox.",
  };
}

/** The feedback an execution of a follow-up gets: the instruction, and for a CI fix what the checks said. */
export function followUpFeedback(task: Pick<Task, "instruction" | "planContext">): string {
  const ci = task.planContext?.ci;
  return ci ? `${task.instruction}\n\n${ci.evidence}` : task.instruction;
}
