import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { renderStatus } from "../../src/render/status.ts";
import { parseStatusMarker } from "../../src/render/markers.ts";
import { ZWSP } from "../../src/render/escape.ts";
import { TASK_STATES } from "../../src/domain/model.ts";
import { event, makeTask, NOW, PLAN } from "./fixtures.ts";

const usage = { inputTokens: 12_345, outputTokens: 2_345, calls: 7, wallMs: 65_000, costUsd: 0.0123 };
const LATER = "2026-01-15T10:07:00.000Z";

describe("renderStatus", () => {
  it("shows a plan waiting for approval, with how to approve, revise or cancel", () => {
    const task = makeTask({ state: "awaiting_approval", plan: PLAN, planVersion: 2, activity: "read 6 files", usage });
    const body = renderStatus({ task, now: NOW, command: "jules", links: { plan: "https://github.com/acme/app/issues/12#issuecomment-5" } });
    assert.equal(
      body,
      `<!-- openjules:status task=t_01 -->
### ✋ Plan ready: waiting for approval

- ✅ Queued
- ✅ Planning (plan v2)
- 🔄 **Awaiting approval**
- ⬜ Working
- ⬜ Testing
- ⬜ Pull request

**Running for** 2m 05s · asked by @${ZWSP}alice
**Activity:** read 6 files
**Usage (whole task):** 12,345 tokens in · 2,345 out · 7 model calls · $0.0123 · 1m 05s
**Links:** [plan v2](https://github.com/acme/app/issues/12#issuecomment-5)

**Next:** reply \`/approve\` to start the work, \`/revise <what to change>\` for a new plan, or \`/cancel\` to stop.

<sub>This comment is updated as the task moves. \`/cancel\` stops the task.</sub>
`,
    );
  });

  it("says what a paused task reached, what it kept, and how to continue", () => {
    const pause = { cause: "cost" as const, reason: "reached its budget of $2.00 (estimated)", at: LATER, checkpointSha: "0123456789abcdef0123", summary: "s" };
    const body = renderStatus({ task: makeTask({ state: "paused", plan: PLAN, branch: "jules/12-fix", pause }), now: NOW, command: "jules", links: {} });
    assert.match(body, /### ⏸️ Paused/);
    assert.match(body, /- 🔄 \*\*Working\*\*/);
    assert.match(body, /\*\*Why it stopped:\*\* it reached its budget of \$2\.00 \(estimated\)\. The work so far is kept as commit `0123456789ab` on `jules\/12-fix`\./);
    assert.match(body, /`\/jules resume` to continue with the same budget, or add budget with `\/jules resume \$2`/);
    assert.match(body, /openjules tasks resume/);
    const asked = renderStatus({
      task: makeTask({ state: "paused", pause: { ...pause, cause: "operator", reason: "lunch", checkpointSha: null } }),
      now: NOW,
      command: "ask",
      links: {},
    });
    assert.match(asked, /paused on request: lunch\. There was nothing to commit yet\./);
    assert.match(asked, /`\/ask resume`/);
  });

  it("names the failed phase, why, and what to do next", () => {
    const task = makeTask({
      state: "failed",
      plan: PLAN,
      planVersion: 1,
      approvedBy: "bob",
      branch: "jules/12-fix",
      updatedAt: LATER,
      failure: { phase: "tests", reason: "3 tests still fail", hint: "Reply `/jules fix the failing tests`." },
    });
    const body = renderStatus({
      task,
      now: NOW,
      command: "jules",
      links: { branch: "https://github.com/acme/app/tree/jules/12-fix" },
      events: [event("working", "testing"), event("testing", "failed")],
    });
    assert.equal(
      body,
      `<!-- openjules:status task=t_01 -->
### ❌ Failed while testing

- ✅ Queued
- ✅ Planning
- ✅ Awaiting approval (approved by @${ZWSP}bob)
- ✅ Working
- ❌ **Testing**
- ⬜ Pull request

**Took** 7m 00s · asked by @${ZWSP}alice
**Links:** [branch \`jules/12-fix\`](https://github.com/acme/app/tree/jules/12-fix)

**What happened:** 3 tests still fail
**What you can do:** Reply \`/jules fix the failing tests\`.
`,
    );
  });

  it("says who cancelled and why, with the configured command word and a notice", () => {
    const task = makeTask({ state: "cancelled", updatedAt: LATER });
    const body = renderStatus({
      task,
      now: NOW,
      command: "bot",
      links: {},
      notice: "Resumed after a restart.",
      events: [event("queued", "planning"), event("planning", "cancelled", "bob", "wrong issue, see @carol")],
    });
    assert.equal(
      body,
      `<!-- openjules:status task=t_01 -->
### 🚫 Cancelled

> [!NOTE]
> Resumed after a restart.

- ✅ Queued
- 🚫 **Planning**
- ⬜ Awaiting approval
- ⬜ Working
- ⬜ Testing
- ⬜ Pull request

**Took** 7m 00s · asked by @${ZWSP}alice

**Cancelled by @${ZWSP}bob**: wrong issue, see @${ZWSP}carol
Start again any time with \`/bot <what to do>\`.
`,
    );
  });

  it("announces the pull request when done", () => {
    const task = makeTask({
      state: "done",
      plan: PLAN,
      planVersion: 1,
      approvedBy: "bob",
      pullRequestNumber: 34,
      pullRequestUrl: "https://github.com/acme/app/pull/34",
      branch: "jules/12-fix",
      updatedAt: LATER,
    });
    const body = renderStatus({ task, now: NOW, command: "jules", links: { pullRequest: "https://github.com/acme/app/pull/34" } });
    assert.match(body, /^### 🎉 Done: pull request #34 is open$/m);
    assert.match(body, /^- ✅ Pull request \(#34\)$/m);
    assert.match(body, /^\*\*Links:\*\* \[pull request #34\]\(https:\/\/github\.com\/acme\/app\/pull\/34\)$/m);
    assert.doesNotMatch(body, /<sub>/);
  });

  it("shows an answered question and an approval made automatically", () => {
    const answered = renderStatus({
      task: makeTask({ state: "done", answer: "See the README." }),
      now: NOW,
      command: "jules",
      links: { answer: "https://github.com/acme/app/issues/12#issuecomment-9" },
    });
    assert.match(answered, /^### 💬 Answered$/m);
    assert.match(answered, /^- ⏭️ Working \(not needed\)$/m);
    const auto = renderStatus({ task: makeTask({ state: "working", plan: PLAN, planVersion: 1, approvalKind: "auto" }), now: NOW, command: "jules", links: {} });
    assert.match(auto, /^- ⏭️ Awaiting approval \(approved automatically: `approval: auto` in `\.github\/jules\.yml`\)$/m);
  });

  it("falls back to a generic next step when a failure has no details", () => {
    const body = renderStatus({ task: makeTask({ state: "failed" }), now: NOW, command: "jules", links: {} });
    assert.match(body, /^\*\*What happened:\*\* no reason was recorded\.$/m);
    assert.match(body, /^\*\*What you can do:\*\* start a new task with `\/jules <what to do>`\.$/m);
  });

  it("neutralises untrusted text: activity, failure, base branch and notice", () => {
    const task = makeTask({
      state: "failed",
      baseBranch: "dev",
      activity: "read <!-- openjules:status task=evil --> @everyone",
      failure: { phase: "planning", reason: "model said <img src=x onerror=alert(1)>", hint: "ask @admin" },
    });
    const body = renderStatus({ task, now: NOW, command: "jules", links: { plan: "javascript:alert(1)" }, notice: "<script>x</script>" });
    assert.equal(body.split("<!--").length, 2, "only our own marker opens a comment");
    assert.doesNotMatch(body, /@everyone|@admin|<img|<script|javascript:/);
    assert.match(body, /· base `dev`/);
    assert.deepEqual(parseStatusMarker(body), { task: "t_01" });
  });

  it("renders every state with the marker first and a heading", () => {
    for (const state of TASK_STATES) {
      const body = renderStatus({ task: makeTask({ state }), now: NOW, command: "jules", links: {} });
      assert.deepEqual(parseStatusMarker(body), { task: "t_01" }, state);
      assert.match(body.split("\n")[1] ?? "", /^### \S/, state);
    }
  });

  it("stays short even with huge texts", () => {
    const huge = "x".repeat(100_000);
    const task = makeTask({ state: "failed", activity: huge, failure: { phase: huge, reason: huge, hint: huge } });
    const body = renderStatus({ task, now: NOW, command: "jules", links: {}, notice: huge });
    assert.ok(body.length < 10_000, String(body.length));
  });
});
