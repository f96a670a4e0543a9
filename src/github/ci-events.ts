/**
 * Checks that completed on a pull request's head commit, as the worker's CI
 * fixing sees them (src/tasks/ci-fix): one typed event for `check_suite`,
 * `check_run` and `workflow_run` completed, whichever of them arrives (they
 * arrive together for one failure, and their job ids are one: keyed on the
 * head commit). The gate drops OpenJules's own checks here, before anything
 * is queued, so its own failing test check can never start a loop.
 */
import type { Actor, RepoInfo } from "./events.ts";
import type { GateOptions, GateVerdict } from "./gate.ts";

/** Conclusions CI fixing acts on. */
export const FAILED_CONCLUSIONS: readonly string[] = ["failure", "timed_out"];
/** The name of the check run OpenJules reports its own tests as (delivery/8-report-tests.ts). */
export const OWN_CHECK = "OpenJules tests";

export interface CiEvent {
  kind: "ci";
  installationId: number;
  repo: RepoInfo;
  /** The pull request (from the payload's `pull_requests`). */
  issueNumber: number;
  isPullRequest: true;
  source: "check_suite" | "check_run" | "workflow_run";
  headSha: string;
  headBranch: string | null;
  /** `failure` or `timed_out` (acted on), or `success` of a whole check suite (the verdict on a fix). */
  conclusion: string;
  /** The check suite it belongs to (the key of a success). */
  suiteId: number | null;
  /** The app whose check it is; GitHub Actions for a workflow run. */
  app: { id: number | null; slug: string | null } | null;
  /** The check run's, suite app's or workflow's name. */
  name: string;
  /** When it completed, GitHub's clock: where a follow-up's thread snapshot stops. */
  completedAt: string;
  sender: Actor;
}

/** True when the event reports a failure (else it is a check suite that passed). */
export const isFailure = (event: Pick<CiEvent, "conclusion">): boolean => FAILED_CONCLUSIONS.includes(event.conclusion);

/** Never OpenJules's own checks (by its app id or slug, or its test check's name); failures of any source, and passing check suites. */
export function gateCi(event: CiEvent, gate: GateOptions): GateVerdict {
  const own = event.app?.id === gate.appId || (gate.appSlug !== null && event.app?.slug === gate.appSlug) || event.name === OWN_CHECK;
  if (own) return { pass: false, reason: "OpenJules's own check" };
  if (isFailure(event) || (event.source === "check_suite" && event.conclusion === "success")) return { pass: true };
  return { pass: false, reason: `a ${event.source} that ended ${event.conclusion}` };
}

/**
 * The job key: one per failing head commit of a pull request, whichever event
 * reports it; a passing check suite is keyed by the suite (the worker then
 * looks at every check of the commit).
 */
export function ciEventKey(event: CiEvent): string {
  const where = `${event.repo.owner}/${event.repo.repo}#${event.issueNumber}@${event.headSha}`;
  return isFailure(event) ? `ci:${where}:failed` : `ci:${where}:suite:${event.suiteId ?? event.name}`;
}
