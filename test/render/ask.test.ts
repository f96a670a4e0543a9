import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { planAsAnswer, renderAnswer } from "../../src/render/answer.ts";
import { renderStatus } from "../../src/render/status.ts";
import { makeTask, NOW, PLAN } from "./fixtures.ts";

const usage = { inputTokens: 12_345, outputTokens: 2_345, calls: 7, wallMs: 65_000, costUsd: 0.0123 };

describe("a question's answer and status (task kind ask)", () => {
  it("says that a question changed nothing, what the answer cost, and how to ask for a change", () => {
    const body = renderAnswer({ task: makeTask({ kind: "ask", state: "done" }), answer: "See `src/retry.ts:12`.", command: "bot", usage });
    assert.ok(
      body.endsWith(
        "---\n\n<sub>Cost of this answer: 12,345 tokens in · 2,345 out · 7 model calls · $0.0123 · 1m 05s</sub>\n" +
          "<sub>This was a question, so nothing was changed: no plan, no branch, no pull request. To have code changed, reply `/bot <what to do>`.</sub>\n",
      ),
      body,
    );
  });

  it("gives the model's own answers a cost line too, and none without usage", () => {
    assert.match(renderAnswer({ task: makeTask(), answer: "x", command: "jules", usage }), /<sub>Cost of this answer: 12,345 tokens in/);
    assert.doesNotMatch(renderAnswer({ task: makeTask(), answer: "x", command: "jules", usage: null }), /Cost of this answer/);
  });

  it("turns a plan into an answer that says how the change could be made, and that nothing was", () => {
    assert.equal(
      planAsAnswer({ ...PLAN, risks: ["Callers may rely on it"] }),
      `${PLAN.summary}\n\n**How the change could be made** (nothing was changed):\n` +
        PLAN.steps.map((s, i) => `${i + 1}. ${s.title}${s.files.length ? ` (${s.files.map((f) => `\`${f}\``).join(", ")})` : ""}${s.detail ? `: ${s.detail}` : ""}`).join("\n") +
        `\n\n**Open questions:**\n- Callers may rely on it\n\n**How it could be checked:** ${PLAN.verification}`,
    );
  });

  it("shows a question looking for its answer, with nothing after planning to wait for", () => {
    const body = renderStatus({ task: makeTask({ kind: "ask", state: "planning" }), now: NOW, command: "jules", links: {} });
    assert.match(body, /### 🔎 Looking for the answer to a question\n\n- ✅ Queued\n- 🔄 \*\*Planning\*\* \(a question: answered from the code, read-only\)\n/);
    for (const phase of ["Awaiting approval", "Working", "Testing", "Pull request"]) assert.ok(body.includes(`- ⏭️ ${phase} (not for a question)`), body);
  });

  it("shows an answered question with its answer linked", () => {
    const task = makeTask({ kind: "ask", state: "done", answer: "In src/a.ts.", planCommentId: 5 });
    const body = renderStatus({ task, now: NOW, command: "jules", links: { answer: "https://github.com/acme/app/issues/12#issuecomment-5" } });
    assert.match(body, /### 💬 Answered/);
    assert.match(body, /- ⏭️ Awaiting approval \(not for a question\)/);
    assert.match(body, /\*\*Links:\*\* \[answer\]\(https:\/\/github\.com\/acme\/app\/issues\/12#issuecomment-5\)/);
  });
});
