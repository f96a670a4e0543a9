/**
 * GitHub's side of time and ordering in tests. GitHub numbers issue comments
 * from one increasing sequence and stamps them with its own clock at
 * one-second resolution (`2011-04-14T16:00:49Z`); the helpers that build
 * comment payloads and answers take both from here, so a comment made later
 * in a test has a larger id, as on GitHub. `skewMs` moves GitHub's clock
 * against the app's (the test process's) clock: +5 min means the app's clock
 * runs 5 minutes behind GitHub's.
 */
export const githubClock = {
  skewMs: 0,
  /** GitHub's time now, as GitHub writes it (whole seconds, `Z`). */
  now(): string {
    return githubTime(Date.now() + this.skewMs);
  },
};

/** A time as GitHub writes it: whole seconds, UTC. */
export function githubTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

let nextCommentId = 900_000;

/** The next issue comment id (one sequence for webhook payloads and posted comments). */
export function issueCommentId(): number {
  return nextCommentId++;
}
