import type { GitHubMock } from "./github-mock.ts";
import { issueComment } from "./payloads.ts";

/**
 * An `issue_comment` payload (from @octokit/webhooks-examples) on a repository served by the test git server at
 * `cloneUrl`, with the 👀 reaction it will get already mocked. `repo` renames the example's repository.
 */
export function servedComment(gh: GitHubMock, body: string, cloneUrl: string, repo?: string): ReturnType<typeof issueComment> {
  const payload = issueComment({ body });
  Object.assign(payload.repository, { clone_url: cloneUrl, default_branch: "main", ...(repo ? { name: repo, full_name: `Codertocat/${repo}` } : {}) });
  gh.reaction(payload.comment.id);
  return payload;
}
