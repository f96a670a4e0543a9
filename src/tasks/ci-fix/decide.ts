import type { PullCommit } from "../../github/port.ts";
import type { CiFixCheck, CiFixReason } from "../../store/port.ts";

/**
 * What to do about checks that failed on the head commit of a pull request
 * OpenJules opened, given the repository's `ci_fix` setting and the limits
 * that make loops impossible. Pure.
 *
 * - Only checks that do not fail on the base branch's head too are this pull
 *   request's to fix; when every failing check fails there too, nothing is
 *   fixed and the pull request is told so.
 * - `ask` suggests `/jules fix-ci`; `auto` starts a follow-up, unless a
 *   person pushed to the branch after OpenJules's last commit (they are
 *   working on it), another task works on the pull request, or the pull
 *   request used its `max_ci_fix_attempts` (those are claimed in the store,
 *   so the count holds across restarts and processes).
 */
export type CiFixPlan =
  | { kind: "skip"; reason: CiFixReason; detail: string | null }
  | { kind: "suggest" }
  /** Claim an attempt, then start the follow-up (or skip with `limit` when none is left). */
  | { kind: "attempt" };

export interface CiFixSituation {
  mode: "auto" | "ask";
  checks: readonly CiFixCheck[];
  /** A commit by someone else after OpenJules's last one (only asked for `auto`). */
  humanPush: PullCommit | null;
  /** Another task is active on the pull request. */
  busy: boolean;
}

export function decideCiFix(s: CiFixSituation): CiFixPlan {
  if (s.checks.every((c) => c.onBase)) return { kind: "skip", reason: "base", detail: null };
  if (s.mode === "ask") return { kind: "suggest" };
  if (s.humanPush) return { kind: "skip", reason: "human", detail: `${s.humanPush.author} ${s.humanPush.sha}` };
  if (s.busy) return { kind: "skip", reason: "busy", detail: null };
  return { kind: "attempt" };
}

/**
 * The first commit after OpenJules's last one (authored and committed by the
 * app's bot) on the pull request that someone else made or rewrote (its
 * author or committer another account), or null when none did. A pull request with no commit of OpenJules's at all counts as a
 * person's: automatic attempts never start without one.
 */
export function humanPushAfterOwn(commits: readonly PullCommit[], ownLogin: string): PullCommit | null {
  const own = (c: PullCommit) => [c.author, c.committer].every((login) => login.toLowerCase() === ownLogin.toLowerCase());
  const last = commits.findLastIndex(own);
  if (last === -1) return commits.at(-1) ?? null;
  return commits.slice(last + 1).find((c) => !own(c)) ?? null;
}
