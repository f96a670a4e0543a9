import type { Probot, ProbotOctokit } from "probot";
import { CONFIG_PATH } from "../config/repo-config.ts";
import { mergeConfigs } from "../config/merge.ts";
import type { ConfigLoad, GitHubGateway, GitHubGateways, RepoId, Role, ThreadComment } from "./gateway.ts";
import type { GitHubPacer } from "./pacer.ts";

/**
 * The GitHub port over Probot's installation-authenticated Octokit. Every
 * request goes through the pacer (per-installation write lane, retries).
 */
export function octokitGateways(probot: Probot, pacer: GitHubPacer): GitHubGateways {
  return {
    async forInstallation(installationId: number) {
      const octokit = await probot.auth(installationId);
      octokit.hook.wrap("request", pacer.hook(installationId) as never);
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

  async react(repo: RepoId, target: { kind: "issue" | "review"; commentId: number }, content: "eyes" | "+1" | "rocket" | "confused") {
    const params = { ...repo, comment_id: target.commentId, content };
    if (target.kind === "issue") await this.#octokit.rest.reactions.createForIssueComment(params);
    else await this.#octokit.rest.reactions.createForPullRequestReviewComment(params);
  }

  async role(repo: RepoId, login: string): Promise<Role> {
    try {
      const { data } = await this.#octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
      return data.role_name;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return "none";
      throw error;
    }
  }

  async loadConfig(repo: RepoId): Promise<ConfigLoad> {
    try {
      const { config } = await this.#octokit.config.get({ ...repo, path: CONFIG_PATH, defaults: mergeConfigs });
      return { ok: true, raw: config };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/could not be parsed|extension is not support|directory or a submodule|Recursion detected/i.test(message)) {
        return { ok: false, reason: message.replace("[@probot/octokit-plugin-config] ", "") };
      }
      throw error;
    }
  }

  async comment(repo: RepoId, issueNumber: number, body: string) {
    const { data } = await this.#octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
    return { id: data.id, url: data.html_url };
  }

  async editComment(repo: RepoId, commentId: number, body: string) {
    await this.#octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body });
  }

  async listComments(repo: RepoId, issueNumber: number): Promise<ThreadComment[]> {
    const comments = await this.#octokit.paginate(this.#octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
    return comments.map((c) => ({
      id: c.id,
      author: c.user?.login ?? "ghost",
      authorType: c.user?.type ?? "User",
      body: c.body ?? "",
      createdAt: c.created_at,
    }));
  }

  async issue(repo: RepoId, issueNumber: number) {
    const { data } = await this.#octokit.rest.issues.get({ ...repo, issue_number: issueNumber });
    return {
      title: data.title,
      body: data.body ?? "",
      author: data.user?.login ?? "ghost",
      createdAt: data.created_at,
      isPullRequest: data.pull_request !== undefined,
    };
  }
}
