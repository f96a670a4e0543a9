/**
 * GitHub's side of a question asked on a pull request, as named GitHubMock
 * set-ups: the pull request read as an issue (GET .../issues/{n}, with its
 * `pull_request` field) and its changed files (GET .../pulls/{n}/files).
 * Answers are GitHub's own examples rewritten, and (as every GitHubMock
 * request and answer) checked against GitHub's OpenAPI description.
 */
import type { RestEndpointMethodTypes } from "@octokit/rest";
import { API, example, type GitHubMock, issueBody } from "./github-mock.ts";

type Rest = RestEndpointMethodTypes;
type Files = Rest["pulls"]["listFiles"]["response"]["data"];

/** GET /repos/{o}/{r}/issues/{n} of a pull request: the issue GitHub answers for it, with `pull_request`. */
export function mockPullRequestAsIssue(gh: GitHubMock, number: number, fields: { title?: string; body?: string } = {}, times = 1) {
  const path = `${gh.repoPath}/issues/${number}`;
  const body = {
    ...issueBody(gh.owner, gh.repo, number, fields.title ?? "Make the answer a literal", fields.body ?? "Computing it is wasteful."),
    html_url: `https://github.com/${gh.owner}/${gh.repo}/pull/${number}`,
    pull_request: {
      url: `${API}${gh.repoPath}/pulls/${number}`,
      html_url: `https://github.com/${gh.owner}/${gh.repo}/pull/${number}`,
      diff_url: `https://github.com/${gh.owner}/${gh.repo}/pull/${number}.diff`,
      patch_url: `https://github.com/${gh.owner}/${gh.repo}/pull/${number}.patch`,
      merged_at: null,
    },
  } satisfies Rest["issues"]["get"]["response"]["data"];
  gh.scope
    .get(path)
    .times(times)
    .reply(200, gh.reply(200, "GET", path, body));
}

export interface ChangedFile {
  path: string;
  status?: Files[number]["status"];
  additions?: number;
  deletions?: number;
  /** Absent: GitHub sends no patch (a binary file). */
  patch?: string;
}

/** GET /repos/{o}/{r}/pulls/{n}/files, answering each page asked for from `files` (100 a page, as OpenJules asks). */
export function mockPullFiles(gh: GitHubMock, number: number, files: ChangedFile[]) {
  const path = `${gh.repoPath}/pulls/${number}/files`;
  const [template] = example<Files>("diff-entry-items");
  const entries = files.map((f) => {
    const { patch: _patch, ...rest } = template!;
    return {
      ...rest,
      filename: f.path,
      status: f.status ?? "modified",
      additions: f.additions ?? 1,
      deletions: f.deletions ?? 1,
      changes: (f.additions ?? 1) + (f.deletions ?? 1),
      blob_url: `https://github.com/${gh.owner}/${gh.repo}/blob/topic/${f.path}`,
      raw_url: `https://github.com/${gh.owner}/${gh.repo}/raw/topic/${f.path}`,
      contents_url: `${API}${gh.repoPath}/contents/${f.path}?ref=topic`,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
    };
  }) satisfies Files;
  const pages = Math.floor(entries.length / 100) + 1;
  for (let page = 1; page <= pages; page++) {
    const slice = entries.slice((page - 1) * 100, page * 100);
    gh.scope
      .get(path)
      .query((q) => q.per_page === "100" && q.page === String(page))
      .reply(200, gh.reply(200, "GET", path, slice));
  }
}
