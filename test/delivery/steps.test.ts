import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { followUpProblem } from "../../src/delivery/1-resolve-target.ts";
import { commitBody, noreplyDomain } from "../../src/delivery/2-commit-changes.ts";
import { checkPaths, shownPath } from "../../src/delivery/3-check-paths.ts";
import { decideOnTests } from "../../src/delivery/5-decide-on-tests.ts";
import { branchUrl } from "../../src/delivery/6-push-branch.ts";
import type { PullRequestInfo } from "../../src/github/port.ts";
import { FAKE } from "../helpers/fake-secrets.ts";
import { makeTask, PLAN } from "../render/fixtures.ts";

/** The pure decisions of the delivery pipeline. */
describe("delivery steps", () => {
  describe("decideOnTests", () => {
    const failed = { command: "npm test", passed: false, summary: "1 failing" };
    it("opens a pull request as configured when tests pass or none ran", () => {
      for (const draft of [true, false]) {
        for (const passed of [true, null]) {
          assert.deepEqual(decideOnTests({ command: "npm test", passed, summary: "" }, { on_test_failure: "abort", draft }), { kind: "pull_request", draft });
        }
      }
    });
    it("follows on_test_failure when tests fail", () => {
      assert.deepEqual(decideOnTests(failed, { on_test_failure: "draft_pr", draft: false }), { kind: "pull_request", draft: true });
      assert.deepEqual(decideOnTests(failed, { on_test_failure: "branch_only", draft: true }), { kind: "branch_only" });
      assert.deepEqual(decideOnTests({ ...failed, command: null }, { on_test_failure: "abort", draft: true }), {
        kind: "abort",
        reason: "The tests failed and `on_test_failure: abort` is set, so nothing was pushed.",
      });
    });
  });

  describe("followUpProblem", () => {
    const pr: PullRequestInfo = {
      number: 7,
      url: "https://github.com/acme/widget/pull/7",
      state: "open",
      merged: false,
      draft: true,
      headRef: "jules/1-x",
      headSha: "a".repeat(40),
      headRepo: "Acme/Widget",
      baseRef: "main",
      author: "OpenJules[bot]",
    };
    const expected = { branch: "jules/1-x", repo: "acme/widget", botLogin: "openjules[bot]", command: "bot" };
    it("accepts the app's own open pull request (logins and repository names compare case-insensitively)", () => {
      assert.equal(followUpProblem(pr, expected), null);
    });
    it("refuses closed and merged pull requests with the right next step", () => {
      const closed = followUpProblem({ ...pr, state: "closed" }, expected);
      assert.match(closed?.reason ?? "", /#7 is closed/);
      assert.match(closed?.hint ?? "", /^Reopen it and ask again, or start a new task with `\/bot <what to do>`/);
      const merged = followUpProblem({ ...pr, state: "closed", merged: true }, expected);
      assert.match(merged?.reason ?? "", /#7 is merged/);
      assert.doesNotMatch(merged?.hint ?? "", /Reopen/);
    });
    it("refuses branches OpenJules did not create", () => {
      for (const change of [{ headRef: "feature" }, { headRepo: null }, { headRepo: "mona/widget" }, { author: "mona" }]) {
        assert.match(followUpProblem({ ...pr, ...change }, expected)?.reason ?? "", /only pushes to branches it created/, JSON.stringify(change));
      }
    });
  });

  describe("checkPaths", () => {
    const file = (path: string) => ({ path, status: "added" as const, binary: false });
    const ctx = { secrets: [], command: "jules" };
    it("passes paths outside deny_paths", () => {
      assert.equal(checkPaths([file("src/a.ts"), file(".github/dependabot.yml")], [".github/workflows/**"], ctx), null);
    });
    it("names each denied path with the rule it matched, case-insensitively, and counts the rest", () => {
      const files = [file(".GitHub/Workflows/ci.yml"), file("secrets/a.pem"), ...Array.from({ length: 11 }, (_, i) => file(`.github/workflows/w${i}.yml`))];
      const blocked = checkPaths(files, [".github/workflows/**", "secrets/**"], ctx);
      assert.match(
        blocked?.reason ?? "",
        /^Nothing was pushed: the change touches paths that `deny_paths` protects: `\.GitHub\/Workflows\/ci\.yml` \(matches `\.github\/workflows\/\*\*`\), `secrets\/a\.pem` \(matches `secrets\/\*\*`\)/,
      );
      assert.match(blocked?.reason ?? "", / and 3 more\.$/);
      assert.match(blocked?.hint ?? "", /`\/jules <what to do>`/);
    });
    it("never echoes a file name that looks like a secret", () => {
      const name = `.github/workflows/${FAKE.githubClassic}.yml`;
      const blocked = checkPaths([file(name)], [".github/workflows/**"], ctx);
      assert.equal(blocked?.reason.includes(FAKE.githubClassic), false);
      assert.match(blocked?.reason ?? "", /\(a file whose name looks like a secret\)/);
      assert.equal(shownPath("src/a.ts", []), "`src/a.ts`");
    });
  });

  it("commitBody says why: the agent's summary, else the plan's, else the issue", () => {
    const task = makeTask({ issueNumber: 12 });
    const outcome = (summary: string) => ({
      summary,
      tests: { command: null, passed: null, summary: "" },
      usage: { inputTokens: 0, outputTokens: 0, calls: 0, wallMs: 0, costUsd: 0 },
    });
    assert.equal(commitBody({ task, plan: PLAN, outcome: outcome("  Because.  ") }), "Because.");
    assert.equal(commitBody({ task, plan: PLAN, outcome: outcome(" ") }), PLAN.summary);
    assert.equal(commitBody({ task, plan: { ...PLAN, summary: "" }, outcome: outcome("") }), "Carries out the approved plan for #12.");
  });

  it("noreplyDomain follows the GitHub host", () => {
    assert.equal(noreplyDomain("https://github.com"), "users.noreply.github.com");
    assert.equal(noreplyDomain("https://ghe.example.com/"), "users.noreply.ghe.example.com");
    assert.equal(noreplyDomain("not a url"), "users.noreply.github.com");
  });

  it("branchUrl keeps the branch's slashes and encodes the rest", () => {
    assert.equal(branchUrl("https://github.com/", { owner: "acme", repo: "widget" }, "jules/1-fix#it"), "https://github.com/acme/widget/tree/jules/1-fix%23it");
  });
});
