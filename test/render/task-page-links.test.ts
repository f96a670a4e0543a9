import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { taskPageUrl } from "../../src/render/links.ts";
import { renderPullRequestBody } from "../../src/render/pull-request.ts";
import { renderStatus } from "../../src/render/status.ts";
import { StatusPublisher, type StatusDeps } from "../../src/tasks/status-publisher.ts";
import { makeTask, NOW, PLAN } from "./fixtures.ts";

const PAGE = "https://jules.example.com/app/tasks/t_01";

describe("links to the task's page in the web app (JULES_PUBLIC_URL)", () => {
  it("is the public URL's /app/tasks/<id>, and none without a public URL", () => {
    assert.equal(taskPageUrl("https://jules.example.com", { id: "t_01" }), PAGE);
    assert.equal(taskPageUrl("https://jules.example.com/base", { id: "a b" }), "https://jules.example.com/base/app/tasks/a%20b");
    assert.equal(taskPageUrl(undefined, { id: "t_01" }), null);
  });

  it("the status comment says 'watch live' while the task runs, 'task page' once it ended, first among the links", () => {
    const working = renderStatus({
      task: makeTask({ state: "working", plan: PLAN }),
      now: NOW,
      command: "jules",
      links: { live: PAGE, plan: "https://github.com/acme/app/issues/12#issuecomment-5" },
    });
    assert.match(working, /\*\*Links:\*\* \[watch live\]\(https:\/\/jules\.example\.com\/app\/tasks\/t_01\) · \[plan\]/);
    const done = renderStatus({ task: makeTask({ state: "done", plan: PLAN }), now: NOW, command: "jules", links: { live: PAGE } });
    assert.match(done, /\*\*Links:\*\* \[task page\]\(https:\/\/jules\.example\.com\/app\/tasks\/t_01\)/);
    const without = renderStatus({ task: makeTask({ state: "working", plan: PLAN }), now: NOW, command: "jules", links: {} });
    assert.doesNotMatch(without, /watch live|task page/);
  });

  it("the status publisher adds the link from JULES_PUBLIC_URL, and none without it", () => {
    // render() reads only the task and the addresses; the store and GitHub are for posting.
    const deps = (publicUrl: string | undefined): StatusDeps => ({
      store: undefined as never,
      github: undefined as never,
      log: undefined as never,
      webBase: "https://github.com",
      publicUrl,
      now: () => NOW,
    });
    const task = makeTask({ state: "working", plan: PLAN });
    assert.match(new StatusPublisher(deps("https://jules.example.com")).render(task), /\[watch live\]\(https:\/\/jules\.example\.com\/app\/tasks\/t_01\)/);
    assert.doesNotMatch(new StatusPublisher(deps(undefined)).render(task), /watch live/);
  });

  it("the pull request's footer links the task page when there is one", () => {
    const base = {
      task: makeTask({ approvedBy: "bob", plan: PLAN }),
      plan: PLAN,
      summary: "Fixed.",
      tests: { command: "npm test", passed: true, summary: "# pass 1" },
      files: [{ path: "src/a.ts", status: "modified" as const }],
      usage: null,
    };
    assert.match(
      renderPullRequestBody({ ...base, taskPage: PAGE }),
      /<sub>Requested by .* · \[task page\]\(https:\/\/jules\.example\.com\/app\/tasks\/t_01\) · Opened by OpenJules<\/sub>/,
    );
    assert.doesNotMatch(renderPullRequestBody(base), /task page/);
  });
});
