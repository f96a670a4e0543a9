/**
 * Real `check_suite`, `check_run` and `workflow_run` completed payloads from
 * `@octokit/webhooks-examples`, rewritten to one pull request's head commit:
 * the examples' repository (Codertocat/Hello-World) and pull request list are
 * GitHub's own; the head commit, branch, pull request number, conclusion and
 * the check's app and name are set per test.
 */
import { example } from "./payloads.ts";
import { ACTIONS_APP } from "./github-checks.ts";

export interface CiPayloadFields {
  headSha: string;
  branch: string;
  pullNumber: number;
  conclusion: "failure" | "timed_out" | "success" | "cancelled";
  /** GitHub Actions by default. */
  app?: { id: number; slug: string };
  /** The check run's or workflow's name. */
  name?: string;
  suiteId?: number;
  checkRunId?: number;
}

function pullRequests(payloadPulls: Record<string, any>[], f: CiPayloadFields): Record<string, any>[] {
  const template = payloadPulls[0]!;
  return [{ ...template, number: f.pullNumber, head: { ...template.head, ref: f.branch, sha: f.headSha } }];
}

export function checkSuiteCompleted(f: CiPayloadFields) {
  const payload = example("check_suite", "completed", (e) => ((e.check_suite as { pull_requests: unknown[] }).pull_requests ?? []).length > 0);
  const suite = payload.check_suite;
  const app = f.app ?? ACTIONS_APP;
  payload.check_suite = {
    ...suite,
    id: f.suiteId ?? 118578147,
    head_sha: f.headSha,
    after: f.headSha,
    head_branch: f.branch,
    conclusion: f.conclusion,
    status: "completed",
    app: { ...suite.app, id: app.id, slug: app.slug, name: f.name ?? "GitHub Actions" },
    pull_requests: pullRequests(suite.pull_requests, f),
  };
  return payload;
}

export function checkRunCompleted(f: CiPayloadFields) {
  const payload = example("check_run", "completed", (e) => (e.check_run as { conclusion: string }).conclusion === "failure");
  const run = payload.check_run;
  const app = f.app ?? ACTIONS_APP;
  const pulls = pullRequests(run.pull_requests, f);
  payload.check_run = {
    ...run,
    id: f.checkRunId ?? run.id,
    name: f.name ?? "test",
    head_sha: f.headSha,
    conclusion: f.conclusion,
    app: { ...run.app, id: app.id, slug: app.slug },
    check_suite: {
      ...run.check_suite,
      id: f.suiteId ?? run.check_suite.id,
      head_sha: f.headSha,
      head_branch: f.branch,
      app: { ...run.check_suite.app, id: app.id, slug: app.slug },
      pull_requests: pulls,
    },
    pull_requests: pulls,
  };
  return payload;
}

export function workflowRunCompleted(f: CiPayloadFields) {
  const payload = example("workflow_run", "completed", (e) => ((e.workflow_run as { pull_requests: unknown[] }).pull_requests ?? []).length > 0);
  const run = payload.workflow_run;
  // The example's repository is octo-org/octo-repo; its pull request names Codertocat/Hello-World's id: both are rewritten to one repository.
  const pulls = pullRequests(run.pull_requests, f);
  payload.repository = {
    ...payload.repository,
    id: pulls[0]!.base.repo.id,
    name: "Hello-World",
    full_name: "Codertocat/Hello-World",
    owner: { ...payload.repository.owner, login: "Codertocat" },
  };
  payload.repository.clone_url = "https://github.com/Codertocat/Hello-World.git";
  payload.workflow_run = {
    ...run,
    name: f.name ?? "CI",
    head_sha: f.headSha,
    head_branch: f.branch,
    conclusion: f.conclusion,
    status: "completed",
    check_suite_id: f.suiteId ?? run.check_suite_id,
    pull_requests: pulls,
  };
  return payload;
}
