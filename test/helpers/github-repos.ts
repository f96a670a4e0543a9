/**
 * The repositories of a GitHub App's installation as GitHub's REST API shows
 * them, for the GitHub stand-in (github-standin.ts) as an extension, backed
 * by the real bare repositories of a test git server (git-server.ts): what
 * the control plane asks to start a task by name, list repositories and
 * branches, and show a task's diff.
 *
 * - GET /repos/{owner}/{repo}/installation (the app's JWT) and
 *   GET /repos/{owner}/{repo}: the installation, and the repository with its
 *   clone_url on the git server and its default branch;
 * - GET /app/installations and GET /installation/repositories: the one
 *   installation and its repositories;
 * - GET /repos/{owner}/{repo}/branches: the bare repository's branches
 *   (paged, default branch first as GitHub sorts by name otherwise);
 * - GET /repos/{owner}/{repo}/compare/{base}...{head} asked as a diff: `git
 *   diff base...head` of the bare repository, as GitHub computes it.
 *
 * Requests and JSON answers are checked against GitHub's OpenAPI
 * description; problems land in the stand-in's `violations`. Answers are
 * synchronous (the stand-in's extension contract), so git runs with
 * execFileSync on the small repositories of a test.
 */
import { execFileSync } from "node:child_process";
import type { IncomingHttpHeaders } from "node:http";
import { gitEnv } from "../../src/workspace/git.ts";
import type { GitServer } from "./git-server.ts";
import { example } from "./github-mock.ts";
import type { StandinExtension } from "./github-standin.ts";
import { checkRequest, checkResponse } from "./openapi.ts";

export interface InstalledRepo {
  /** `owner/name` as GitHub spells it. */
  fullName: string;
  defaultBranch?: string;
  private?: boolean;
}

export interface GitHubReposOptions {
  git: GitServer;
  repositories: InstalledRepo[];
  /** The installation id every repository belongs to. */
  installationId?: number;
}

type Answer = { status: number; headers?: Record<string, string>; body: string };

const NOT_FOUND = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };

export class GitHubRepos implements StandinExtension {
  readonly #git: GitServer;
  readonly #repos: InstalledRepo[];
  readonly installationId: number;

  constructor(options: GitHubReposOptions) {
    this.#git = options.git;
    this.#repos = options.repositories;
    this.installationId = options.installationId ?? 1;
  }

  answer(request: { method: string; url: URL; headers: IncomingHttpHeaders; text: string }, violations: string[]): Answer | null {
    const { method, url, headers } = request;
    if (method !== "GET") return null;
    const path = url.pathname.replace(/^\/api\/v3/, "");
    const json = (status: number, body: unknown, extra: Record<string, string> = {}): Answer => {
      violations.push(...checkRequest(method, path + url.search, undefined), ...checkResponse(method, path, status, body));
      return { status, headers: { "content-type": "application/json; charset=utf-8", ...extra }, body: JSON.stringify(body) };
    };
    if (path === "/app/installations") return json(200, [this.#installation()]);
    if (path === "/installation/repositories") {
      const all = this.#repos.map((r) => this.#repository(r));
      return json(200, { total_count: all.length, repositories: all });
    }
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/installation|\/branches|\/compare\/(.+))?$/.exec(path);
    if (!match) return null;
    const [, owner, name, rest, basehead] = match;
    const repo = this.#repos.find((r) => r.fullName.toLowerCase() === `${decodeURIComponent(owner!)}/${decodeURIComponent(name!)}`.toLowerCase());
    if (!repo) return json(404, NOT_FOUND);
    if (rest === undefined) return json(200, this.#repository(repo));
    if (rest === "/installation") return json(200, this.#installation());
    const bare = this.#bare(repo);
    if (rest === "/branches") {
      const names = this.#run(bare, "for-each-ref", "--format=%(refname:strip=2) %(objectname)", "refs/heads")
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split(" ") as [string, string]);
      const template = example<Record<string, unknown>[]>("branch-short-items")[0]!;
      const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), 100);
      const page = Number(url.searchParams.get("page") ?? 1);
      const items = names.slice((page - 1) * perPage, page * perPage).map(([branch, sha]) => ({
        ...template,
        name: branch,
        commit: { sha, url: `https://api.github.com/repos/${repo.fullName}/commits/${sha}` },
        protected: false,
      }));
      return json(200, items);
    }
    // compare/{base}...{head}
    const [base, head] = decodeURIComponent(basehead!).split("...") as [string, string | undefined];
    if (!/application\/vnd\.github(\.v3)?\.diff/.test(headers.accept ?? "")) violations.push(`GET ${path} not asked as a diff (accept: ${headers.accept})`);
    if (!head || !this.#has(bare, base) || !this.#has(bare, head)) return json(404, NOT_FOUND);
    violations.push(...checkRequest(method, path + url.search, undefined));
    const diff = this.#run(bare, "diff", "--no-color", "--no-ext-diff", `refs/heads/${base}...refs/heads/${head}`);
    return { status: 200, headers: { "content-type": "application/vnd.github.diff; charset=utf-8" }, body: diff };
  }

  #installation() {
    // GitHub's example account fails its own schema; the account is nullable and unread.
    return { ...example<Record<string, unknown>>("installation"), id: this.installationId, account: null };
  }

  #repository(repo: InstalledRepo) {
    const base = example<Record<string, unknown> & { owner: Record<string, unknown> }>("full-repository");
    const [owner, name] = repo.fullName.split("/") as [string, string];
    return {
      ...base,
      name,
      full_name: repo.fullName,
      owner: { ...base.owner, login: owner },
      html_url: `https://github.com/${repo.fullName}`,
      url: `https://api.github.com/repos/${repo.fullName}`,
      default_branch: repo.defaultBranch ?? "main",
      private: repo.private ?? false,
      clone_url: this.#git.repoUrl(owner, name),
      // Required by GitHub's schema, missing from its own example.
      has_discussions: false,
    };
  }

  #bare(repo: InstalledRepo): string {
    const [owner, name] = repo.fullName.split("/") as [string, string];
    return this.#git.repoPath(owner, name);
  }

  #has(bare: string, branch: string): boolean {
    try {
      this.#run(bare, "rev-parse", "--verify", "--quiet", `refs/heads/${branch}`);
      return true;
    } catch {
      return false;
    }
  }

  #run(cwd: string, ...args: string[]): string {
    return execFileSync("git", args, { cwd, env: gitEnv(), encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  }
}
