/** Job ids: deterministic, so that enqueueing twice (redelivery, race, restart) runs once. */
export const jobIds = {
  plan: (taskId: string, version: number) => `plan:${taskId}:${version}`,
  execute: (taskId: string, planHash: string) => `execute:${taskId}:${planHash}`,
  /** A follow-up left before its approval was recorded (a crash right after it was created): the execute job finishes starting it. */
  followUp: (taskId: string) => `execute:${taskId}:follow-up`,
};
