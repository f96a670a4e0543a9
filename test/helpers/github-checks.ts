/**
 * GitHub's Checks and Actions endpoints that CI fixing reads, as GitHubMock
 * set-ups (nock at the HTTP level; each answer is GitHub's own example from
 * its OpenAPI description, rewritten, and checked against that description
 * by `gh.reply`): the check runs of a commit, a run's annotations, a pull
 * request's commits, and a GitHub Actions job's log, which GitHub answers
 * with a 302 to a signed download address on another host; the download is
 * mocked there and must come without the installation token.
 */
import assert from "node:assert/strict";
import type { RestEndpointMethodTypes } from "@octokit/rest";
import nock from "nock";
import { API, example, type GitHubMock, user } from "./github-mock.ts";
import { checkResponse } from "./openapi.ts";

type Rest = RestEndpointMethodTypes;
type CheckRunData = Rest["checks"]["listForRef"]["response"]["data"]["check_runs"][number];
type AnnotationData = Rest["checks"]["listAnnotations"]["response"]["data"][number];
type CommitData = Rest["pulls"]["listCommits"]["response"]["data"][number];

/** GitHub Actions' app on github.com. */
export const ACTIONS_APP = { id: 15368, slug: "github-actions" };
/** Where the mocked job log downloads are (another host than the API, as on GitHub). */
export const LOG_HOST = "https://results-receiver.actions.githubusercontent.com";

export interface CheckRunFields {
  id: number;
  name: string;
  headSha: string;
  conclusion: "failure" | "timed_out" | "success" | "neutral" | "cancelled" | null;
  status?: "queued" | "in_progress" | "completed";
  /** GitHub Actions by default. */
  app?: { id: number; slug: string };
  title?: string | null;
  summary?: string | null;
  text?: string | null;
  annotations?: number;
  /** A GitHub Actions job's page (names the job id) by default. */
  detailsUrl?: string;
}

export function checkRunBody(gh: Pick<GitHubMock, "owner" | "repo">, f: CheckRunFields): CheckRunData {
  const base = example<CheckRunData>("check-run");
  const app = f.app ?? ACTIONS_APP;
  const completed = (f.status ?? "completed") === "completed";
  return {
    ...base,
    id: f.id,
    name: f.name,
    head_sha: f.headSha,
    status: f.status ?? "completed",
    conclusion: completed ? f.conclusion : null,
    completed_at: completed ? "2024-05-04T01:14:52Z" : null,
    url: `${API}/repos/${gh.owner}/${gh.repo}/check-runs/${f.id}`,
    html_url: `https://github.com/${gh.owner}/${gh.repo}/runs/${f.id}`,
    details_url: f.detailsUrl ?? `https://github.com/${gh.owner}/${gh.repo}/actions/runs/9${f.id}/job/${f.id}`,
    output: {
      title: f.title ?? null,
      summary: f.summary ?? null,
      text: f.text ?? null,
      annotations_count: f.annotations ?? 0,
      annotations_url: `${API}/repos/${gh.owner}/${gh.repo}/check-runs/${f.id}/annotations`,
    },
    app: base.app ? { ...base.app, id: app.id, slug: app.slug, name: app.slug } : null,
    pull_requests: [],
  };
}

/** GET .../commits/{ref}/check-runs: the latest check run of each name on `ref` (a sha or a branch). */
export function mockCheckRuns(gh: GitHubMock, ref: string, runs: CheckRunFields[], times = 1) {
  const path = `${gh.repoPath}/commits/${ref}/check-runs`;
  const body = { total_count: runs.length, check_runs: runs.map((r) => checkRunBody(gh, r)) } satisfies Rest["checks"]["listForRef"]["response"]["data"];
  gh.scope
    .get(path)
    .query((q) => q.filter === "latest")
    .times(times)
    .reply(200, gh.reply(200, "GET", path, body));
  return gh;
}

/** GET .../check-runs/{id}/annotations. */
export function mockAnnotations(gh: GitHubMock, checkRunId: number, list: { path: string; line: number; message: string; title?: string }[]) {
  const path = `${gh.repoPath}/check-runs/${checkRunId}/annotations`;
  const template = example<AnnotationData[]>("check-annotation-items")[0]!;
  const body = list.map((a) => ({
    ...template,
    path: a.path,
    start_line: a.line,
    end_line: a.line,
    annotation_level: "failure",
    title: a.title ?? null,
    message: a.message,
  })) satisfies AnnotationData[];
  gh.scope
    .get(path)
    .query(true)
    .reply(200, gh.reply(200, "GET", path, body));
  return gh;
}

/** GET .../pulls/{n}/commits: each commit made by `by` (a login; the app's bot is `openjules[bot]`). */
export function mockPullCommits(gh: GitHubMock, number: number, commits: { sha: string; by: string }[], times = 1) {
  const path = `${gh.repoPath}/pulls/${number}/commits`;
  const template = example<CommitData[]>("commit-items")[0]!;
  const body = commits.map((c) => ({
    ...template,
    sha: c.sha,
    url: `${API}${gh.repoPath}/commits/${c.sha}`,
    html_url: `https://github.com/${gh.owner}/${gh.repo}/commit/${c.sha}`,
    author: user(c.by),
    committer: user(c.by),
    commit: {
      ...template.commit,
      author: { name: c.by, email: `${c.by}@users.noreply.github.com`, date: "2024-05-04T01:00:00Z" },
      committer: { name: c.by, email: `${c.by}@users.noreply.github.com`, date: "2024-05-04T01:00:00Z" },
    },
  })) satisfies CommitData[];
  gh.scope
    .get(path)
    .query(true)
    .times(times)
    .reply(200, gh.reply(200, "GET", path, body));
  return gh;
}

/**
 * GET .../actions/jobs/{id}/logs answers 302 with a signed download address
 * on LOG_HOST (GitHub's documented answer, checked against its description),
 * and the download answers the log as plain text, refusing a request that
 * carries an Authorization header. `gone` answers 410 there (an expired log);
 * `refused` is GitHub's 403 to an installation without `actions: read`.
 */
export function mockJobLog(gh: GitHubMock, jobId: number, log: string, opts: { gone?: boolean; refused?: boolean } = {}) {
  const path = `${gh.repoPath}/actions/jobs/${jobId}/logs`;
  if (opts.refused) {
    // GitHub's answer to an installation without `actions: read` (its description documents only the 302).
    gh.scope.get(path).reply(403, {
      message: "Resource not accessible by integration",
      documentation_url: "https://docs.github.com/rest/actions/workflow-jobs#download-job-logs-for-a-workflow-run",
      status: "403",
    });
    return gh;
  }
  const download = `/${gh.owner}/${gh.repo}/jobs/${jobId}/signedlogcontent`;
  const location = `${LOG_HOST}${download}?urlExpires=2030-01-01T00%3A00%3A00Z&urlSigningMethod=HMACV1&urlSignature=c2lnbmVk`;
  assert.deepEqual(checkResponse("GET", path, 302, undefined), [], "GitHub documents the log's 302");
  gh.scope.get(path).reply(302, "", { Location: location });
  const host = nock(LOG_HOST, { badheaders: ["authorization"] })
    .get(download)
    .query(true);
  if (opts.gone) host.reply(410, "The log has expired.", { "content-type": "text/plain" });
  else host.reply(200, log, { "content-type": "text/plain; charset=utf-8" });
  return gh;
}

/** A GitHub Actions log as GitHub writes one: timestamps, groups, ANSI colours, the runner's ##[error] line, and its clean-up after. */
export function actionsLog(lines: string[]): string {
  const at = (i: number) => `2024-05-04T01:14:${String(10 + (i % 40)).padStart(2, "0")}.1234567Z`;
  const body = [
    "##[group]Run actions/checkout@v4",
    "Syncing repository: Codertocat/Hello-World",
    "##[endgroup]",
    "##[group]Run npm test",
    ...lines,
    "##[endgroup]",
    "##[error]Process completed with exit code 1.",
    "Post job cleanup.",
    "Cleaning up orphan processes",
  ];
  return `\uFEFF${body.map((l, i) => `${at(i)} ${l}`).join("\n")}\n`;
}
