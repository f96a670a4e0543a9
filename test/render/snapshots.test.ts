/**
 * What OpenJules writes in a thread, as file snapshots (test/render/__snapshots__/*.md):
 * a wording change in a renderer shows up as a reviewed Markdown diff. The
 * other renderer tests assert the rules (escaping, limits, links); these
 * record the words. Update after a deliberate change with
 * `npx vitest run test/render/snapshots.test.ts -u` and review the diff.
 */
import { describe, expect, it } from "vitest";
import { RepoConfigSchema } from "../../src/config/repo-config.ts";
import { renderAnswer } from "../../src/render/answer.ts";
import { renderHelp } from "../../src/render/help.ts";
import { renderPlan } from "../../src/render/plan.ts";
import { checkRunOutput, renderPullRequestBody } from "../../src/render/pull-request.ts";
import * as replies from "../../src/render/replies.ts";
import { renderStatus } from "../../src/render/status.ts";
import { event, makeTask, NOW, PLAN } from "./fixtures.ts";

const config = RepoConfigSchema.parse({});
const usage = { inputTokens: 12_345, outputTokens: 2_345, calls: 7, wallMs: 65_000, costUsd: 0.0123 };
const snap = (name: string) => `./__snapshots__/${name}.md`;
const links = { plan: "https://github.com/acme/app/issues/12#issuecomment-7" };

describe("status comment", () => {
  const cases = {
    queued: { task: makeTask() },
    planning: { task: makeTask({ state: "planning", activity: "reading `src/sum.ts`" }) },
    awaiting_approval: { task: makeTask({ state: "awaiting_approval", plan: PLAN, planVersion: 1, usage }), links },
    working: { task: makeTask({ state: "working", plan: PLAN, planVersion: 1, approvedBy: "bob", approvalKind: "person", activity: "editing `src/sum.ts`", usage }), links },
    auto_approved: { task: makeTask({ state: "working", plan: PLAN, planVersion: 1, approvalKind: "auto" }), links },
    done: {
      task: makeTask({
        state: "done",
        plan: PLAN,
        planVersion: 1,
        approvedBy: "bob",
        approvalKind: "person",
        branch: "openjules/12-fix-the-crash",
        pullRequestNumber: 13,
        pullRequestUrl: "https://github.com/acme/app/pull/13",
        usage,
      }),
      links: { ...links, pullRequest: "https://github.com/acme/app/pull/13", branch: "https://github.com/acme/app/tree/openjules/12-fix-the-crash" },
    },
    failed_setup: {
      task: makeTask({
        state: "failed",
        plan: PLAN,
        planVersion: 1,
        approvedBy: "bob",
        approvalKind: "person",
        failure: {
          phase: "setup",
          reason: "The setup command `npm ci` failed (exit code 1), so the agent did not start.",
          hint: "Fix `setup:` in .github/jules.yml, then comment `/jules retry`.",
          output: "npm ERR! missing: left-pad@1.3.0",
        },
      }),
    },
    cancelled: { task: makeTask({ state: "cancelled" }) },
  } satisfies Record<string, { task: ReturnType<typeof makeTask>; links?: Record<string, string> }>;
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const events = [event(null, "queued", "alice", "start"), event("queued", "planning")];
      if (c.task.approvedBy) events.push(event("planning", "awaiting_approval"), event("awaiting_approval", "approved", "bob"), event("approved", "working"));
      const text = renderStatus({ task: c.task, now: NOW, links: "links" in c ? c.links : {}, command: "jules", events });
      await expect(text).toMatchFileSnapshot(snap(`status-${name}`));
    });
  }
});

describe("plan comment", () => {
  it("first version, writers approve", async () => {
    const text = renderPlan({ task: makeTask({ state: "awaiting_approval" }), plan: PLAN, hash: "0123456789abcdef", version: 1, command: "jules", approvers: "writers" });
    await expect(text).toMatchFileSnapshot(snap("plan-v1"));
  });
  it("a revision with the four-eyes rule and a custom command word", async () => {
    const text = renderPlan({
      task: makeTask({ state: "awaiting_approval", revisionFeedback: "also handle null" }),
      plan: PLAN,
      hash: "fedcba9876543210",
      version: 2,
      command: "bot",
      approvers: "others",
    });
    await expect(text).toMatchFileSnapshot(snap("plan-v2-four-eyes"));
  });
  it("approval: auto", async () => {
    const text = renderPlan({ task: makeTask({ state: "approved" }), plan: PLAN, hash: "0123456789abcdef", version: 1, command: "jules", approvers: "writers", approval: "auto" });
    await expect(text).toMatchFileSnapshot(snap("plan-auto"));
  });
});

describe("pull request", () => {
  const base = {
    task: makeTask({ approvedBy: "bob", approvalKind: "person" as const, plan: PLAN }),
    plan: PLAN,
    summary: "`sum()` now returns 0 for an empty list.",
    files: [
      { path: "src/sum.ts", status: "modified" },
      { path: "test/sum.test.ts", status: "added" },
    ],
    usage,
  };
  it("tests passed", async () => {
    await expect(renderPullRequestBody({ ...base, tests: { command: "npm test", passed: true, summary: "passed (exit code 0)" } })).toMatchFileSnapshot(snap("pr-passed"));
  });
  it("tests failed, with files left out", async () => {
    const text = renderPullRequestBody({
      ...base,
      tests: { command: "npm test", passed: false, summary: "failed (exit code 1)\n1 failing test (node:test):\n✖ sum of [] is 0" },
      leftOut: [
        { path: "build/", reason: "tests" },
        { path: "vendor/lib/", reason: "nested_repository" },
      ],
    });
    await expect(text).toMatchFileSnapshot(snap("pr-failed-left-out"));
  });
  it("the tests could not run (a missing tool)", async () => {
    const tests = {
      command: "pnpm test",
      passed: null,
      summary: "could not run (exit code 127)",
      environment: { problem: "`pnpm` is not installed where OpenJules runs the repository's commands.", hint: "Install pnpm on the worker." },
    };
    await expect(renderPullRequestBody({ ...base, tests })).toMatchFileSnapshot(snap("pr-environment-problem"));
    await expect(JSON.stringify(checkRunOutput(tests), null, 2)).toMatchFileSnapshot("./__snapshots__/check-run-environment-problem.json");
  });
});

describe("help, answer and replies", () => {
  it("help", async () => {
    await expect(renderHelp({ config })).toMatchFileSnapshot(snap("help"));
  });
  it("answer", async () => {
    await expect(
      renderAnswer({ task: makeTask({ state: "done", kind: "issue" }), answer: "The config loader returns `undefined` for an empty file; see `src/config.ts`.", command: "jules" }),
    ).toMatchFileSnapshot(snap("answer"));
  });
  it("replies", async () => {
    const task = makeTask({ state: "awaiting_approval", plan: PLAN, planVersion: 2 });
    const all = [
      replies.notAllowed({ login: "mallory", role: "read", action: "approve a plan" }),
      replies.busy({ login: "alice", task: makeTask({ state: "working" }), command: "jules", statusUrl: "https://github.com/acme/app/issues/12#issuecomment-5" }),
      replies.noTask({ login: "alice", command: "jules" }),
      replies.notOnPullRequest({ login: "alice", command: "jules" }),
      replies.followUpNeedsText({ login: "alice", command: "jules" }),
      replies.nothingToApprove({ login: "alice", task: makeTask({ state: "working" }), command: "jules" }),
      replies.nothingToRevise({ login: "alice", task: makeTask({ state: "working" }), command: "jules" }),
      replies.planOutdated({ login: "bob", task, command: "jules", planUrl: links.plan }),
      replies.alreadyApproved({ login: "bob", task: makeTask({ state: "working", approvedBy: "carol" }) }),
      replies.fourEyes({ login: "alice" }),
      replies.unknownCommand({ login: "alice", word: "frobnicate", config }),
      replies.issueEditedAfterPlan({ task, command: "jules" }),
    ];
    await expect(all.join("\n\n---\n\n")).toMatchFileSnapshot(snap("replies"));
  });
});
