import { randomBytes } from "node:crypto";
import { stringify } from "yaml";
import { startGitServer, type GitServer } from "../test/helpers/git-server.ts";
import { issueBody } from "../test/helpers/github-mock.ts";
import { startGitHubStandin, type GitHubStandin } from "../test/helpers/github-standin.ts";

/**
 * Where the eval's tasks live instead of GitHub: a real git smart-HTTP
 * server on 127.0.0.1 (test/helpers/git-server.ts) holding each attempt's
 * repository, and the stateful stand-in for GitHub's REST API
 * (test/helpers/github-standin.ts) that OpenJules reaches through GHE_HOST,
 * serving each repository's `.github/jules.yml` and issue, and keeping the
 * comments, pull requests and check runs OpenJules writes. One installation
 * token, made up per run, is what both accept.
 */

export interface Issue {
  title: string;
  body: string;
}

export interface LocalGitHub {
  git: GitServer;
  github: GitHubStandin;
  token: string;
  /** Serves a repository's jules.yml and issue #1. */
  register(owner: string, repo: string, config: Record<string, unknown>, issue: Issue): void;
  close(): Promise<void>;
}

const ISSUE_PATH = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/;

export async function startLocalGitHub(): Promise<LocalGitHub> {
  const token = `ghs_eval_${randomBytes(12).toString("hex")}`;
  const configs: Record<string, string> = {};
  const issues = new Map<string, Issue>();
  const git = await startGitServer({ tokens: [token] });
  const github = await startGitHubStandin({
    token,
    validate: false,
    configs,
    extensions: [
      {
        answer({ method, url }) {
          const match = method === "GET" ? ISSUE_PATH.exec(url.pathname) : null;
          const issue = match ? issues.get(`${match[1]}/${match[2]}#${match[3]}`) : undefined;
          if (!match || !issue) return null;
          const body = issueBody(match[1]!, match[2]!, Number(match[3]), issue.title, issue.body);
          return { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) };
        },
      },
    ],
  });
  return {
    git,
    github,
    token,
    register(owner, repo, config, issue) {
      configs[`${owner}/${repo}`] = stringify(config);
      issues.set(`${owner}/${repo}#1`, issue);
    },
    async close() {
      await github.close();
      await git.close();
    },
  };
}
