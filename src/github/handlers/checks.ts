import type { Context } from "probot";
import { type CiEvent, FAILED_CONCLUSIONS } from "../ci-events.ts";
import { actor, repoInfo } from "../events.ts";
import type { Intake } from "../intake.ts";

/**
 * `check_suite`, `check_run` and `workflow_run` completed: checks that ended
 * on a pull request's head commit. Thin: a check that neither failed nor is a
 * passing suite, or that names no pull request of this repository, is
 * dropped; the rest is one CiEvent per pull request for the intake (which
 * drops OpenJules's own checks). Whether the pull request is OpenJules's,
 * the commit still its head, and what to do is the worker's (src/tasks/ci-fix).
 */

/** At most this many pull requests of one event (GitHub lists those whose head branch is the commit's). */
const MAX_PULLS = 5;

type Pull = { number: number; base: { repo: { id: number } } } | null;
type Common = Omit<CiEvent, "issueNumber">;

async function acceptAll(intake: Intake, deliveryId: string, event: Common, pulls: readonly Pull[] | null | undefined, repositoryId: number) {
  const ours = (pulls ?? []).filter((p): p is NonNullable<Pull> => p !== null && p.base.repo.id === repositoryId).slice(0, MAX_PULLS);
  for (const pull of ours) await intake.accept({ ...event, issueNumber: pull.number }, deliveryId);
}

const acted = (conclusion: string | null, passingSuite: boolean): conclusion is string =>
  conclusion !== null && (FAILED_CONCLUSIONS.includes(conclusion) || (passingSuite && conclusion === "success"));

type Payload = Context<"check_suite.completed" | "check_run.completed" | "workflow_run.completed">["payload"];
type Varying = Pick<CiEvent, "source" | "headSha" | "headBranch" | "conclusion" | "suiteId" | "app" | "name" | "completedAt">;

/** The event's fields that every source gives the same way, with those it gives its own way. */
function ciEvent(payload: Payload, installationId: number, varying: Varying): Common {
  return { kind: "ci", installationId, repo: repoInfo(payload.repository), isPullRequest: true, sender: actor(payload.sender), ...varying };
}

export async function onCheckSuite(context: Context<"check_suite.completed">, intake: Intake) {
  const { check_suite: suite, repository, installation } = context.payload;
  if (!installation || !acted(suite.conclusion, true)) return;
  const event = ciEvent(context.payload, installation.id, {
    source: "check_suite",
    headSha: suite.head_sha,
    headBranch: suite.head_branch,
    conclusion: suite.conclusion,
    suiteId: suite.id,
    app: suite.app ? { id: suite.app.id, slug: suite.app.slug ?? null } : null,
    name: suite.app?.name ?? "check suite",
    completedAt: suite.updated_at ?? new Date().toISOString(),
  });
  await acceptAll(intake, context.id, event, suite.pull_requests, repository.id);
}

export async function onCheckRun(context: Context<"check_run.completed">, intake: Intake) {
  const { check_run: run, repository, installation } = context.payload;
  if (!installation || !acted(run.conclusion, false)) return;
  const event = ciEvent(context.payload, installation.id, {
    source: "check_run",
    headSha: run.head_sha,
    headBranch: run.check_suite.head_branch ?? null,
    conclusion: run.conclusion,
    suiteId: run.check_suite.id ?? null,
    app: run.app ? { id: run.app.id, slug: run.app.slug ?? null } : null,
    name: run.name,
    completedAt: run.completed_at ?? new Date().toISOString(),
  });
  await acceptAll(intake, context.id, event, run.pull_requests, repository.id);
}

export async function onWorkflowRun(context: Context<"workflow_run.completed">, intake: Intake) {
  const { workflow_run: run, repository, installation } = context.payload;
  if (!installation || !acted(run.conclusion, false)) return;
  const event = ciEvent(context.payload, installation.id, {
    source: "workflow_run",
    headSha: run.head_sha,
    headBranch: run.head_branch,
    conclusion: run.conclusion,
    suiteId: run.check_suite_id,
    app: { id: null, slug: "github-actions" },
    name: run.name ?? "workflow",
    completedAt: run.updated_at,
  });
  await acceptAll(intake, context.id, event, run.pull_requests, repository.id);
}
