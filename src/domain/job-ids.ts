/** Job ids: deterministic, so that enqueueing twice (redelivery, race, restart) runs once. */
export const jobIds = {
  plan: (taskId: string, version: number) => `plan:${taskId}:${version}`,
  execute: (taskId: string, planHash: string) => `execute:${taskId}:${planHash}`,
  /** Execution going on after the pause made at `pausedAt` (one job per pause, however often resume is asked). */
  resume: (taskId: string, planHash: string, pausedAt: string) => `execute:${taskId}:${planHash}:resume-${Date.parse(pausedAt)}`,
  /** A follow-up left before its approval was recorded (a crash right after it was created): the execute job finishes starting it. */
  followUp: (taskId: string) => `execute:${taskId}:follow-up`,
};
