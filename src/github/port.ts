/**
 * The GitHub operations the task service needs, for one installation. The
 * worker gets one from `GitHubGateways.forInstallation`; the Octokit
 * implementation is in octokit-gateway.ts. Domain code sees only this port,
 * never Probot's `context`.
 */

import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { ConfigProblem } from "../config/problems.ts";

type Rest = RestEndpointMethodTypes;

/** `role_name` of the collaborator-permission endpoint; "none" when not a collaborator. */
export type Role = "admin" | "maintain" | "write" | "triage" | "read" | "none" | (string & {});

export const WRITER_ROLES: readonly string[] = ["admin", "maintain", "write"];

export interface RepoId {
  owner: string;
  repo: string;
}

export interface PostedComment {
  id: number;
  url: string;
  /** `created_at` as GitHub returned it (GitHub's clock, whole seconds). */
  createdAt: string;
}

export interface ThreadComment {
  id: number;
  author: string;
  authorType: string;
  body: string;
  createdAt: string;
}

export type ConfigLoad =
  | { ok: true; raw: unknown }
  /** The file exists but cannot be read as settings (bad YAML, not a mapping, a broken `_extends`). */
  | { ok: false; problems: ConfigProblem[] };

/** A pull request as delivery needs it (from the pulls endpoints). */
export interface PullRequestInfo {
  number: number;
  /** Web address (`html_url`). */
  url: string;
  state: Rest["pulls"]["get"]["response"]["data"]["state"];
  merged: boolean;
  draft: boolean;
  headRef: string;
  headSha: string;
  /** The branch it is based on (and would be merged into). */
  baseRef: string;
  /** `owner/repo` of the head branch; null when the head repository was deleted. */
  headRepo: string | null;
  /** Login of who opened it (`<slug>[bot]` for the app's own). */
  author: string;
}

/** One changed file of a pull request (GET .../pulls/{n}/files), as `/jules ask` on a pull request shows it to the model. */
export interface PullRequestFile {
  path: string;
  /** For a renamed (or copied) file, its path before. */
  previousPath: string | null;
  status: Rest["pulls"]["listFiles"]["response"]["data"][number]["status"];
  additions: number;
  deletions: number;
  /** The unified diff hunks; null when GitHub gives none (binary files, or a diff too large for it). */
  patch: string | null;
}

export interface NewPullRequest {
  title: string;
  body: string;
  /** A branch of the same repository. */
  head: string;
  base: string;
  draft: boolean;
}

/** A completed check run: created with its conclusion in one request. */
export interface NewCheckRun {
  name: string;
  headSha: string;
  conclusion: Extract<Rest["checks"]["create"]["parameters"]["conclusion"], "success" | "failure" | "neutral">;
  title: string;
  /** Markdown, at most 65,535 characters (GitHub's limit). */
  summary: string;
  text?: string | undefined;
  /** A reference on our side (the task id). */
  externalId?: string | undefined;
}

/** A line comment of a pull request review (GET .../pulls/{n}/reviews/{id}/comments). */
export interface ReviewLineComment {
  id: number;
  /** The comment that starts its thread (`in_reply_to_id`), or its own id when it starts one: where a reply goes. */
  threadId: number;
  path: string;
  /** The line in the diff (`line`, else `original_line` when the diff moved on); null for a comment on the whole file. */
  line: number | null;
  body: string;
  author: string;
}

/** A check run of a commit as CI fixing reads it (GET .../commits/{ref}/check-runs). */
export interface CheckRunInfo {
  id: number;
  name: string;
  headSha: string;
  status: string;
  /** null until completed */
  conclusion: string | null;
  /** The app that made it (`github-actions` for GitHub Actions jobs). */
  app: { id: number; slug: string | null } | null;
  /** Its page on GitHub. */
  url: string;
  detailsUrl: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotationsCount: number };
}

/** An annotation of a check run (a file, lines and a message). */
export interface CheckAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  level: string;
  title: string | null;
  message: string;
}

/** A commit of a pull request, with who made it as GitHub knows them (the account's login, else the git name). */
export interface PullCommit {
  sha: string;
  author: string;
  committer: string;
}

/** The end of a GitHub Actions job's log, as downloaded; `truncated` when its beginning was left out. */
export interface JobLog {
  text: string;
  truncated: boolean;
}

/** A reaction GitHub offers on comments (the same set for issue and review comments). */
export type Reaction = Rest["reactions"]["createForIssueComment"]["parameters"]["content"] & Rest["reactions"]["createForPullRequestReviewComment"]["parameters"]["content"];

/** For requests whose refusal (422) must not fail the caller: the refusal, said in GitHub's words. */
export type SoftResult = { ok: true } | { ok: false; status: number; reason: string };

export interface GitHubGateway {
  /** A fresh installation access token (for git over HTTPS); never logged or stored. */
  token(): Promise<string>;
  /** Reacts to an issue comment (`issue`) or a pull request review comment (`review`). */
  react(repo: RepoId, target: { kind: "issue" | "review"; commentId: number }, content: Reaction): Promise<void>;
  role(repo: RepoId, login: string): Promise<Role>;
  /** `.github/jules.yml` merged over the owner's `.github` repository and `_extends`, from the default branch. */
  loadConfig(repo: RepoId): Promise<ConfigLoad>;
  comment(repo: RepoId, issueNumber: number, body: string): Promise<PostedComment>;
  editComment(repo: RepoId, commentId: number, body: string): Promise<void>;
  /** Comments of the thread, oldest first (paginated). */
  listComments(repo: RepoId, issueNumber: number): Promise<ThreadComment[]>;
  issue(repo: RepoId, issueNumber: number): Promise<{ title: string; body: string; author: string; createdAt: string; isPullRequest: boolean }>;
  /** A user's numeric id (for `Co-authored-by`); null when no such user exists (deleted or renamed). */
  user(login: string): Promise<{ login: string; id: number } | null>;
  /** The open pull request whose head is `branch` of this repository, if any. */
  findOpenPullRequest(repo: RepoId, branch: string): Promise<PullRequestInfo | null>;
  pullRequest(repo: RepoId, pullNumber: number): Promise<PullRequestInfo>;
  /** Opens a pull request; when GitHub answers that one already exists for the head, returns that one. */
  createPullRequest(repo: RepoId, pr: NewPullRequest): Promise<PullRequestInfo>;
  /** A 422 (not a collaborator, or the author) is returned, not thrown. */
  requestReviewers(repo: RepoId, pullNumber: number, logins: readonly string[]): Promise<SoftResult>;
  /** Labels that do not exist yet are created by GitHub. A 422 (invalid label) is returned, not thrown. */
  addLabels(repo: RepoId, issueNumber: number, labels: readonly string[]): Promise<SoftResult>;
  createCheckRun(repo: RepoId, run: NewCheckRun): Promise<{ id: number; url: string }>;
  /** The line comments of one review, oldest first (paginated). */
  reviewComments(repo: RepoId, pullNumber: number, reviewId: number): Promise<ReviewLineComment[]>;
  /** Replies in the thread of a review comment (`commentId` starts the thread). */
  replyToReviewComment(repo: RepoId, pullNumber: number, commentId: number, body: string): Promise<void>;
  /** The repository's branch names (paginated, at most `limit`). */
  branches(repo: RepoId, limit: number): Promise<string[]>;
  /**
   * A pull request's changed files with their patches, oldest listing first (paginated, at most `max`);
   * `more` is true when the pull request has files beyond those (GitHub lists at most 3,000).
   */
  pullRequestFiles(repo: RepoId, pullNumber: number, max: number): Promise<{ files: PullRequestFile[]; more: boolean }>;
  /** `git diff base...head` as GitHub's compare gives it (unified diff text); null when either ref does not exist. */
  compareDiff(repo: RepoId, base: string, head: string): Promise<string | null>;
  /** The latest check run of each name on a commit (`ref`: a sha or a branch), at most 300. */
  checkRuns(repo: RepoId, ref: string): Promise<CheckRunInfo[]>;
  /** A check run's annotations, at most `max`. */
  checkRunAnnotations(repo: RepoId, checkRunId: number, max: number): Promise<CheckAnnotation[]>;
  /**
   * The end of a GitHub Actions job's log: GitHub answers with a redirect to a short-lived download address, which is
   * followed without the installation token; at most `maxBytes` of its end are kept. Null when the log is gone (expired or never written).
   */
  jobLog(repo: RepoId, jobId: number, maxBytes: number): Promise<JobLog | null>;
  /** A pull request's commits, oldest first (at most 250, GitHub's limit). */
  pullRequestCommits(repo: RepoId, pullNumber: number): Promise<PullCommit[]>;
}

/** A repository the app is installed on, with what a task needs of it. */
export interface InstalledRepository {
  installationId: number;
  owner: string;
  repo: string;
  /** `owner/name` as GitHub spells it. */
  fullName: string;
  defaultBranch: string;
  private: boolean;
  cloneUrl: string;
}

/**
 * The app's installations (asked with the app's JWT), for the faces that start
 * from a repository name rather than a webhook: which installation covers a
 * repository, and every repository the app can work on.
 */
export interface InstallationDirectory {
  /** Null when the app is not installed on the repository (or it does not exist). */
  find(repo: RepoId): Promise<InstalledRepository | null>;
  list(): Promise<InstalledRepository[]>;
}

export interface GitHubGateways {
  forInstallation(installationId: number): Promise<GitHubGateway>;
}
