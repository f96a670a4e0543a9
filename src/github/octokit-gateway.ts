import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { Probot, ProbotOctokit } from "probot";
import { CONFIG_PATH } from "../config/repo-config.ts";
import { problemsFromLoadError } from "../config/load-error.ts";
import { mergeConfigs } from "../config/merge.ts";
import type {
  ConfigLoad,
  GitHubGateway,
  GitHubGateways,
  NewCheckRun,
  NewPullRequest,
  PullRequestFile,
  PullRequestInfo,
  Reaction,
  RepoId,
  ReviewLineComment,
  Role,
  SoftResult,
  ThreadComment,
} from "./port.ts";
import type { GitHubPacer } from "./pacer.ts";
import { errorMessage } from "../domain/error-message.ts";
import { httpStatus } from "./http-status.ts";
import { downloadJobLog, listAnnotations, listCheckRuns, listPullCommits } from "./octokit-ci.ts";

/**
 * The GitHub port over Probot's installation-authenticated Octokit. Every
 * request goes through the pacer (per-installation write lane, retries).
 */
export function octokitGateways(probot: Probot, pacer: GitHubPacer): GitHubGateways {
  return {
    async forInstallation(installationId: number) {
      const octokit = await probot.auth(installationId);
      octokit.hook.wrap("request", pacer.hook(installationId));
      return new OctokitGateway(octokit);
    },
  };
}

type Octokit = InstanceType<typeof ProbotOctokit>;

class OctokitGateway implements GitHubGateway {
  readonly #octokit: Octokit;
  constructor(octokit: Octokit) {
    this.#octokit = octokit;
  }

  async token(): Promise<string> {
    const auth = (await this.#octokit.auth({ type: "installation" })) as { token: string };
    return auth.token;
  }

  async react(repo: RepoId, target: { kind: "issue" | "review"; commentId: number }, content: Reaction) {
    const params = { ...only(repo), comment_id: target.commentId, content };
    if (target.kind === "issue") await this.#octokit.rest.reactions.createForIssueComment(params);
    else await this.#octokit.rest.reactions.createForPullRequestReviewComment(params);
  }

  async role(repo: RepoId, login: string): Promise<Role> {
    try {
      const { data } = await this.#octokit.rest.repos.getCollaboratorPermissionLevel({ ...only(repo), username: login });
      return data.role_name;
    } catch (error) {
      if (httpStatus(error) === 404) return "none";
      throw error;
    }
  }

  async loadConfig(repo: RepoId): Promise<ConfigLoad> {
    try {
      const { config } = await this.#octokit.config.get({ ...only(repo), path: CONFIG_PATH, defaults: mergeConfigs });
      return { ok: true, raw: config };
    } catch (error) {
      const problems = problemsFromLoadError(error);
      if (problems) return { ok: false, problems };
      throw error;
    }
  }

  async comment(repo: RepoId, issueNumber: number, body: string) {
    const { data } = await this.#octokit.rest.issues.createComment({ ...only(repo), issue_number: issueNumber, body });
    return { id: data.id, url: data.html_url, createdAt: data.created_at };
  }

  async editComment(repo: RepoId, commentId: number, body: string) {
    await this.#octokit.rest.issues.updateComment({ ...only(repo), comment_id: commentId, body });
  }

  async listComments(repo: RepoId, issueNumber: number): Promise<ThreadComment[]> {
    const comments = await this.#octokit.paginate(this.#octokit.rest.issues.listComments, { ...only(repo), issue_number: issueNumber, per_page: 100 });
    return comments.map((c) => ({
      id: c.id,
      author: c.user?.login ?? "ghost",
      authorType: c.user?.type ?? "User",
      body: c.body ?? "",
      createdAt: c.created_at,
    }));
  }

  async issue(repo: RepoId, issueNumber: number) {
    const { data } = await this.#octokit.rest.issues.get({ ...only(repo), issue_number: issueNumber });
    return {
      title: data.title,
      body: data.body ?? "",
      author: data.user?.login ?? "ghost",
      createdAt: data.created_at,
      isPullRequest: data.pull_request !== undefined,
    };
  }

  async user(login: string) {
    try {
      const { data } = await this.#octokit.rest.users.getByUsername({ username: login });
      return { login: data.login, id: data.id };
    } catch (error) {
      if (httpStatus(error) === 404) return null;
      throw error;
    }
  }

  async findOpenPullRequest(repo: RepoId, branch: string): Promise<PullRequestInfo | null> {
    const { data } = await this.#octokit.rest.pulls.list({ ...only(repo), state: "open", head: `${repo.owner}:${branch}`, per_page: 10 });
    const fullName = `${repo.owner}/${repo.repo}`.toLowerCase();
    const pr = data.find((p) => p.head.ref === branch && p.head.repo?.full_name.toLowerCase() === fullName);
    return pr ? pullRequestInfo(pr) : null;
  }

  async pullRequest(repo: RepoId, pullNumber: number): Promise<PullRequestInfo> {
    const { data } = await this.#octokit.rest.pulls.get({ ...only(repo), pull_number: pullNumber });
    return pullRequestInfo(data);
  }

  async createPullRequest(repo: RepoId, pr: NewPullRequest): Promise<PullRequestInfo> {
    try {
      const { data } = await this.#octokit.rest.pulls.create({ ...only(repo), title: pr.title, body: pr.body, head: pr.head, base: pr.base, draft: pr.draft });
      return pullRequestInfo(data);
    } catch (error) {
      // Another attempt opened it between our lookup and this request.
      const existing = httpStatus(error) === 422 && /already exists/i.test(String(error)) ? await this.findOpenPullRequest(repo, pr.head) : null;
      if (existing) return existing;
      throw error;
    }
  }

  async requestReviewers(repo: RepoId, pullNumber: number, logins: readonly string[]): Promise<SoftResult> {
    return soft422(() => this.#octokit.rest.pulls.requestReviewers({ ...only(repo), pull_number: pullNumber, reviewers: [...logins] }));
  }

  async addLabels(repo: RepoId, issueNumber: number, labels: readonly string[]): Promise<SoftResult> {
    return soft422(() => this.#octokit.rest.issues.addLabels({ ...only(repo), issue_number: issueNumber, labels: [...labels] }));
  }

  async createCheckRun(repo: RepoId, run: NewCheckRun) {
    const { data } = await this.#octokit.rest.checks.create({
      ...only(repo),
      name: run.name,
      head_sha: run.headSha,
      status: "completed",
      conclusion: run.conclusion,
      completed_at: new Date().toISOString(),
      ...(run.externalId ? { external_id: run.externalId } : {}),
      output: { title: run.title, summary: run.summary, ...(run.text ? { text: run.text } : {}) },
    });
    return { id: data.id, url: data.html_url ?? data.url };
  }

  async reviewComments(repo: RepoId, pullNumber: number, reviewId: number): Promise<ReviewLineComment[]> {
    const params = { ...only(repo), pull_number: pullNumber, review_id: reviewId, per_page: 100 };
    const comments = await this.#octokit.paginate(this.#octokit.rest.pulls.listCommentsForReview, params);
    return comments.map((c) => ({
      id: c.id,
      threadId: c.in_reply_to_id ?? c.id,
      path: c.path,
      line: c.line ?? c.original_line ?? null,
      body: c.body,
      author: c.user?.login ?? "ghost",
    }));
  }

  async replyToReviewComment(repo: RepoId, pullNumber: number, commentId: number, body: string) {
    await this.#octokit.rest.pulls.createReplyForReviewComment({ ...only(repo), pull_number: pullNumber, comment_id: commentId, body });
  }

  async branches(repo: RepoId, limit: number): Promise<string[]> {
    const names: string[] = [];
    for await (const page of this.#octokit.paginate.iterator(this.#octokit.rest.repos.listBranches, { ...only(repo), per_page: 100 })) {
      names.push(...page.data.map((b) => b.name));
      if (names.length >= limit) break;
    }
    return names.slice(0, limit);
  }

  async pullRequestFiles(repo: RepoId, pullNumber: number, max: number): Promise<{ files: PullRequestFile[]; more: boolean }> {
    const files: PullRequestFile[] = [];
    const perPage = 100;
    // One page past `max` at most: whether there are more files is known without counting them all.
    for (let page = 1; files.length <= max; page++) {
      const { data } = await this.#octokit.rest.pulls.listFiles({ ...only(repo), pull_number: pullNumber, per_page: perPage, page });
      for (const f of data) {
        files.push({ path: f.filename, previousPath: f.previous_filename ?? null, status: f.status, additions: f.additions, deletions: f.deletions, patch: f.patch ?? null });
      }
      if (data.length < perPage) return { files: files.slice(0, max), more: files.length > max };
    }
    return { files: files.slice(0, max), more: true };
  }

  async compareDiff(repo: RepoId, base: string, head: string): Promise<string | null> {
    try {
      const { data } = await this.#octokit.rest.repos.compareCommitsWithBasehead({ ...only(repo), basehead: `${base}...${head}`, mediaType: { format: "diff" } });
      return data as unknown as string;
    } catch (error) {
      if (httpStatus(error) === 404) return null;
      throw error;
    }
  }

  checkRuns(repo: RepoId, ref: string) {
    return listCheckRuns(this.#octokit, only(repo), ref);
  }

  checkRunAnnotations(repo: RepoId, checkRunId: number, max: number) {
    return listAnnotations(this.#octokit, only(repo), checkRunId, max);
  }

  jobLog(repo: RepoId, jobId: number, maxBytes: number) {
    return downloadJobLog(this.#octokit, only(repo), jobId, maxBytes);
  }

  pullRequestCommits(repo: RepoId, pullNumber: number) {
    return listPullCommits(this.#octokit, only(repo), pullNumber);
  }
}

/** Runs a request whose 422 answer is a refusal to report, not a failure. */
async function soft422(request: () => Promise<unknown>): Promise<SoftResult> {
  try {
    await request();
    return { ok: true };
  } catch (error) {
    if (httpStatus(error) !== 422) throw error;
    return { ok: false, status: 422, reason: errorMessage(error) };
  }
}

type Rest = RestEndpointMethodTypes;
/** A pull request as the pulls endpoints answer: one (get, create) or a list item. */
type PullData = Rest["pulls"]["get"]["response"]["data"] | Rest["pulls"]["list"]["response"]["data"][number];
type PullShape = Pick<PullData, "number" | "html_url" | "state" | "draft" | "merged_at" | "head" | "base" | "user">;

function pullRequestInfo(pr: PullShape): PullRequestInfo {
  return {
    number: pr.number,
    url: pr.html_url,
    state: pr.state === "open" ? "open" : "closed",
    merged: pr.merged_at !== null,
    draft: pr.draft === true,
    headRef: pr.head.ref,
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    // GitHub's description types the head repository as always present, but GitHub sends null once a fork is deleted.
    headRepo: pr.head.repo?.full_name ?? null,
    author: pr.user?.login ?? "ghost",
  };
}

/** Just the repository coordinates: callers may pass richer objects (a task), whose other fields must not become request parameters. */
function only(repo: RepoId): RepoId {
  return { owner: repo.owner, repo: repo.repo };
}
