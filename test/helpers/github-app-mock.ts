/**
 * The GitHub endpoints the control plane adds (create, repositories, branches,
 * diff) on a GitHubMock: the app's installation of a repository, the
 * repository itself, the installations and their repositories, branches and
 * a compare as a diff. Answers start from GitHub's own examples and are
 * checked against the OpenAPI description like every other mock.
 */
import type { RestEndpointMethodTypes } from "@octokit/rest";
import { example, type GitHubMock, INSTALLATION_TOKEN } from "./github-mock.ts";

type Rest = RestEndpointMethodTypes;
type Data<G extends keyof Rest, M extends keyof Rest[G]> = Rest[G][M] extends { response: { data: infer D } } ? D : never;

/** GET /repos/{owner}/{repo}/installation: installed (with that id), or 404. */
export function mockRepoInstallation(gh: GitHubMock, installationId: number | null, times = 1): void {
  const path = `${gh.repoPath}/installation`;
  if (installationId === null) {
    gh.scope.get(path).times(times).reply(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    return;
  }
  const body = { ...example<Data<"apps", "getRepoInstallation">>("installation"), id: installationId, account: null };
  gh.scope
    .get(path)
    .times(times)
    .reply(200, gh.reply(200, "GET", path, body));
}

/** The repository as `GET /repos/{owner}/{repo}` (and the installation's repository list) give it. */
export function repositoryBody(gh: GitHubMock, fields: { defaultBranch?: string; private?: boolean } = {}) {
  const base = example<Data<"repos", "get">>("full-repository");
  return {
    ...base,
    name: gh.repo,
    full_name: `${gh.owner}/${gh.repo}`,
    owner: { ...base.owner, login: gh.owner },
    default_branch: fields.defaultBranch ?? "main",
    private: fields.private ?? false,
    clone_url: `https://github.com/${gh.owner}/${gh.repo}.git`,
    // Required by GitHub's schema, missing from its own example.
    has_discussions: false,
  } satisfies Data<"repos", "get">;
}

export function mockRepository(gh: GitHubMock, fields: { defaultBranch?: string; private?: boolean } = {}, times = 1): void {
  gh.scope
    .get(gh.repoPath)
    .times(times)
    .reply(200, gh.reply(200, "GET", gh.repoPath, repositoryBody(gh, fields)));
}

/** GET /app/installations (one installation) and its GET /installation/repositories (this mock's repository). */
export function mockInstallations(gh: GitHubMock, installationId = 1, times = 1): void {
  const installations: Data<"apps", "listInstallations"> = [
    // GitHub's example account fails its own schema (as does a plain user); the account is nullable and unread.
    { ...example<Data<"apps", "listInstallations">[number]>("installation"), id: installationId, account: null },
  ];
  gh.scope
    .get("/app/installations")
    .query(true)
    .times(times)
    .reply(200, gh.reply(200, "GET", "/app/installations", installations));
  const repos = { total_count: 1, repositories: [repositoryBody(gh)] };
  gh.scope
    .get("/installation/repositories")
    .query(true)
    .times(times)
    .reply(200, gh.reply(200, "GET", "/installation/repositories", repos));
}

export function mockBranches(gh: GitHubMock, names: string[]): void {
  const path = `${gh.repoPath}/branches`;
  const body = names.map((name) => ({ ...example<Data<"repos", "listBranches">>("branch-short-items")[0]!, name })) satisfies Data<"repos", "listBranches">;
  gh.scope
    .get(path)
    .query(true)
    .reply(200, gh.reply(200, "GET", path, body));
}

/** GET /repos/{owner}/{repo}/compare/{base}...{head} asked as a diff (or 404 when a ref is missing). */
export function mockCompareDiff(gh: GitHubMock, base: string, head: string, diff: string | null): void {
  const path = `${gh.repoPath}/compare/${encodeURIComponent(`${base}...${head}`).replace(/%2F/g, "/")}`;
  const scope = gh.scope.get((uri) => decodeURIComponent(uri) === decodeURIComponent(path)).matchHeader("accept", /application\/vnd\.github\.(v3\.)?diff/);
  if (diff === null) scope.reply(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
  else scope.reply(200, diff, { "content-type": "application/vnd.github.diff; charset=utf-8" });
}

/** Installation tokens for as many requests as the test makes (each installation-authenticated call may ask for one). */
export function mockAnyTokens(gh: GitHubMock): void {
  const body = {
    token: INSTALLATION_TOKEN,
    expires_at: new Date(Date.now() + 3600_000).toISOString(),
    permissions: { issues: "write" as const },
    repository_selection: "all" as const,
  } satisfies Data<"apps", "createInstallationAccessToken">;
  gh.editScope.post(/\/app\/installations\/\d+\/access_tokens/).reply(201, gh.reply(201, "POST", "/app/installations/1/access_tokens", body));
}
