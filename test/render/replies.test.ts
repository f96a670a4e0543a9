import { describe, it } from "vitest";
import assert from "node:assert/strict";
import * as replies from "../../src/render/replies.ts";
import { defaultRepoConfig, RepoConfigSchema } from "../../src/config/repo-config.ts";
import { ZWSP } from "../../src/render/escape.ts";
import { makeTask, PLAN } from "./fixtures.ts";

describe("replies", () => {
  it("refuses politely and shows the role", () => {
    assert.equal(
      replies.notAllowed({ login: "eve", role: "triage", action: "approve a plan" }),
      "@eve, only people with write access to this repository (role admin, maintain or write) can approve a plan; your role here is `triage`, so I did nothing. A maintainer can run the command for you.\n",
    );
    assert.match(replies.notAllowed({ login: "eve", role: "none", action: "start a task" }), /you are not a collaborator of this repository/);
    assert.match(replies.notAllowed({ login: "eve", role: null, action: "start a task" }), /you are not a collaborator/);
  });

  it("explains a busy issue with a link to the status and what to do", () => {
    const task = makeTask({ state: "awaiting_approval", plan: PLAN, planVersion: 1 });
    assert.equal(
      replies.busy({ login: "eve", task, command: "jules", statusUrl: "https://github.com/acme/app/issues/12#issuecomment-3" }),
      "@eve, a task is already under way on this issue: it is waiting for approval of its plan ([status](https://github.com/acme/app/issues/12#issuecomment-3)). One task per issue at a time. Reply `/approve` to go ahead with its plan, `/revise <what to change>` to change it, or `/cancel` to stop it.\n",
    );
    assert.equal(
      replies.busy({ task: makeTask({ state: "planning" }), command: "jules" }),
      "A task is already under way on this issue: it is making a plan. One task per issue at a time. Reply `/cancel` to stop it, or wait for its plan and reply `/revise <what to change>`.\n",
    );
    assert.match(replies.busy({ task: makeTask({ state: "working" }), command: "jules" }), /Its plan is already approved: reply `\/cancel` to stop it, then start again\.$/m);
  });

  it("says when there is no task, or nothing to approve or revise", () => {
    assert.equal(replies.noTask({ command: "bot" }), "There is no active task on this issue. Start one with `/bot <what to do>`.\n");
    assert.equal(
      replies.nothingToApprove({ login: "bob", task: makeTask({ state: "planning" }), command: "jules" }),
      "@bob, there is no plan waiting for approval: the task is making a plan. I will post the plan when it is ready.\n",
    );
    assert.equal(
      replies.nothingToApprove({ task: makeTask({ state: "done" }), command: "jules" }),
      "There is nothing to approve: the task is done. Start one with `/jules <what to do>`.\n",
    );
    assert.equal(
      replies.nothingToRevise({ task: makeTask({ state: "working" }), command: "jules" }),
      "There is no plan to revise right now: the task is working on the changes. Its plan is already approved; `/cancel` stops it.\n",
    );
    assert.match(replies.nothingToRevise({ task: makeTask({ state: "failed" }), command: "jules" }), /no plan to revise: the task is failed\. Start one with/);
  });

  it("ties approval to the latest plan", () => {
    const task = makeTask({ state: "awaiting_approval", plan: PLAN, planVersion: 3 });
    assert.equal(
      replies.planOutdated({ login: "bob", task, command: "jules", planUrl: "https://github.com/acme/app/issues/12#issuecomment-8" }),
      "@bob, your approval was written before plan v3 was posted, so it was for an earlier plan, and nothing was approved. `/approve` applies to the latest plan only: please read [plan v3](https://github.com/acme/app/issues/12#issuecomment-8) and reply `/approve` again if it looks right.\n",
    );
    assert.match(replies.planOutdated({ task: { ...task, planVersion: 1 }, command: "jules" }), /written before plan v1 was posted, so nothing was approved/);
    assert.match(replies.planOutdated({ task, command: "jules" }), /please read the latest plan \(v3\)/);
    assert.equal(
      replies.alreadyApproved({ task: makeTask({ state: "working", approvedBy: "carol" }) }),
      `This plan was already approved by @${ZWSP}carol; the task is working on the changes. \`/cancel\` stops it.\n`,
    );
  });

  it("explains the four-eyes rule", () => {
    assert.equal(
      replies.fourEyes({ login: "alice" }),
      "@alice, this repository uses the four-eyes rule (`approvers: others`): the person who asked for a task cannot approve its plan. Someone else with write access needs to reply `/approve`.\n",
    );
  });

  it("refuses a task on a pull request OpenJules did not open, and a follow-up without feedback", () => {
    assert.equal(
      replies.notOnPullRequest({ command: "jules" }),
      "I only take follow-ups on pull requests I opened. A new task starts from an issue: write `/jules <what to do>` on the issue you want solved.\n",
    );
    assert.equal(
      replies.followUpNeedsText({ command: "bot", login: "mona" }),
      "@mona, tell me what to change on this pull request, e.g. `/bot rename the helper and add a test`.\n",
    );
  });

  it("answers an unknown command with a specific hint and the help", () => {
    const config = RepoConfigSchema.parse({ command: "bot" });
    const unknown = replies.unknownCommand({ login: "eve", word: "frobnicate", config });
    assert.ok(
      unknown.startsWith(
        "@eve, `frobnicate` is not a command I know. To start a task, write what you want after the command, e.g. `/bot fix the crash on empty lists`, or `/bot` alone to work on the issue as written.\n\n| Command |",
      ),
    );
    assert.match(unknown, /#### Settings for this repository/);
    assert.ok(replies.unknownCommand({ word: "revise", config: defaultRepoConfig() }).startsWith("`/revise` needs feedback after it"));
    assert.ok(replies.unknownCommand({ word: "--base", config }).startsWith("`--base` needs a valid branch name after it, e.g. `/bot --base release/1.x fix the crash`."));
  });

  it("never mentions anyone but a valid login it answers", () => {
    assert.ok(replies.fourEyes({ login: "x @y" }).startsWith(`@${ZWSP}x @${ZWSP}y,`));
  });
});
