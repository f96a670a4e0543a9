/**
 * A task that has opened its pull request, through the thread as a person
 * does it: issue #1 asked for with `/jules fix the crash` and approved with
 * `/approve` by Codertocat (an admin), planned and executed by the app's
 * agent, and delivered as pull request #7 (the delivery double's answer).
 * For tests of what happens on the pull request afterwards.
 */
import assert from "node:assert/strict";
import type { Task } from "../../src/domain/model.ts";
import { GitHubMock } from "./github-mock.ts";
import { issueComment } from "./payloads.ts";
import type { TestApp } from "./test-app.ts";

export async function deliverIssueOne(app: TestApp): Promise<{ gh: GitHubMock; origin: Task }> {
  const gh = new GitHubMock();
  gh.token().config(null, 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();
  for (const body of ["/jules fix the crash", "/approve"]) {
    const c = issueComment({ body });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();
  }
  const origin = await app.store.findByPullRequest("Codertocat", "Hello-World", 7);
  assert.equal(origin?.state, "done", JSON.stringify(origin?.failure));
  return { gh, origin: origin! };
}
