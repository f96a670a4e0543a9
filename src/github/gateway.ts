/**
 * The GitHub operations the task service needs, for one installation. The
 * worker gets one from `GitHubGateways.forInstallation`; the Octokit
 * implementation is in octokit-gateway.ts. Domain code sees only this port,
 * never Probot's `context`.
 */

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
  | { ok: false; reason: string };

export interface GitHubGateway {
  /** A fresh installation access token (for git over HTTPS); never logged or stored. */
  token(): Promise<string>;
  /** Reacts to an issue comment (`issue`) or a pull request review comment (`review`). */
  react(repo: RepoId, target: { kind: "issue" | "review"; commentId: number }, content: "eyes" | "+1" | "rocket" | "confused"): Promise<void>;
  role(repo: RepoId, login: string): Promise<Role>;
  /** `.github/jules.yml` merged over the owner's `.github` repository and `_extends`, from the default branch. */
  loadConfig(repo: RepoId): Promise<ConfigLoad>;
  comment(repo: RepoId, issueNumber: number, body: string): Promise<PostedComment>;
  editComment(repo: RepoId, commentId: number, body: string): Promise<void>;
  /** Comments of the thread, oldest first (paginated). */
  listComments(repo: RepoId, issueNumber: number): Promise<ThreadComment[]>;
  issue(repo: RepoId, issueNumber: number): Promise<{ title: string; body: string; author: string; createdAt: string; isPullRequest: boolean }>;
}

export interface GitHubGateways {
  forInstallation(installationId: number): Promise<GitHubGateway>;
}
