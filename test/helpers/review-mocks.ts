/**
 * GitHub's side of reviews as feedback, as named GitHubMock set-ups: a
 * review's line comments (GET .../pulls/{n}/reviews/{id}/comments) and the
 * replies in review threads (POST .../pulls/{n}/comments/{id}/replies).
 * Answers are GitHub's own examples rewritten, and (as every GitHubMock
 * request and answer) checked against GitHub's OpenAPI description.
 */
import type { RestEndpointMethodTypes } from "@octokit/rest";
import { githubClock } from "./github-clock.ts";
import { example, type GitHubMock, user } from "./github-mock.ts";

type Rest = RestEndpointMethodTypes;
type ReviewComments = Rest["pulls"]["listCommentsForReview"]["response"]["data"];
type Reply = Rest["pulls"]["createReplyForReviewComment"]["response"]["data"];

export interface LineComment {
  id: number;
  path: string;
  /** Null: a comment on the whole file. */
  line: number | null;
  body: string;
  /** The comment whose thread this one answers. */
  inReplyTo?: number;
}

/** GET the line comments of review `reviewId` on pull request `pull`, by `author`. */
export function mockReviewComments(gh: GitHubMock, opts: { pull: number; reviewId: number; author: string; comments: LineComment[] }) {
  const path = `${gh.repoPath}/pulls/${opts.pull}/reviews/${opts.reviewId}/comments`;
  const [template] = example<ReviewComments>("review-comment-items");
  const body = opts.comments.map((c) => {
    const { in_reply_to_id: _replyTo, ...rest } = template!;
    return {
      ...rest,
      ...(c.inReplyTo !== undefined ? { in_reply_to_id: c.inReplyTo } : {}),
      id: c.id,
      pull_request_review_id: opts.reviewId,
      url: `https://api.github.com${gh.repoPath}/pulls/comments/${c.id}`,
      html_url: `https://github.com/${gh.owner}/${gh.repo}/pull/${opts.pull}#discussion_r${c.id}`,
      pull_request_url: `https://api.github.com${gh.repoPath}/pulls/${opts.pull}`,
      path: c.path,
      line: c.line ?? undefined,
      original_line: c.line ?? undefined,
      subject_type: c.line === null ? ("file" as const) : ("line" as const),
      body: c.body,
      user: user(opts.author),
      created_at: githubClock.now(),
      updated_at: githubClock.now(),
    };
  }) satisfies ReviewComments;
  gh.scope
    .get(path)
    .query(true)
    .reply(200, gh.reply(200, "GET", path, body));
  return gh;
}

/** POST a reply in the thread of each review comment in `threads`, on pull request `pull`. */
export function mockReviewReplies(gh: GitHubMock, opts: { pull: number; threads: number[] }) {
  for (const thread of opts.threads) {
    const path = `${gh.repoPath}/pulls/${opts.pull}/comments/${thread}/replies`;
    const body = {
      ...example<Reply>("pull-request-review-comment"),
      id: thread + 1_000_000,
      in_reply_to_id: thread,
      user: user("openjules[bot]"),
      body: "(reply)",
    } satisfies Reply;
    gh.scope.post(path).reply(201, gh.reply(201, "POST", path, body));
  }
  return gh;
}

/** The replies posted in review threads so far: the thread's comment id and the text. */
export function postedReplies(gh: GitHubMock): { thread: number; body: string }[] {
  return gh.requests
    .filter((r) => r.method === "POST" && /\/pulls\/\d+\/comments\/\d+\/replies$/.test(r.path))
    .map((r) => ({ thread: Number(/comments\/(\d+)\/replies$/.exec(r.path)![1]), body: (r.body as { body: string }).body }));
}
