import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { parsePlanMarker, renderPlan } from "../../src/render/plan.ts";
import { ZWSP } from "../../src/render/escape.ts";
import { GITHUB_COMMENT_LIMIT } from "../../src/render/limits.ts";
import { planHash } from "../../src/domain/plan-hash.ts";
import type { Plan } from "../../src/domain/model.ts";
import { makeTask, PLAN } from "./fixtures.ts";

const HASH = "0123456789abcdef";

describe("renderPlan", () => {
  it("renders the plan, how to proceed, and the four-eyes note", () => {
    const body = renderPlan({ task: makeTask(), plan: PLAN, hash: HASH, version: 2, command: "jules", approvers: "others" });
    assert.equal(
      body,
      `<!-- openjules:plan {"task":"t_01","hash":"0123456789abcdef","version":2} -->
### 📋 Revised plan (v2)

Guard \`sum()\` against empty lists.

#### Steps
1. **Return 0 for an empty list**
   Check \`xs.length\` first.
   Files: \`src/sum.ts\`
2. **Add a test**
   Files: \`test/sum.test.ts\`

#### Risks and open questions
- Callers might expect an exception.

#### How it will be verified
\`npm test\` passes.

---

**To go ahead**, reply \`/approve\` (a note after it is welcome). **To change the plan**, reply \`/revise <what to change>\`. **To stop**, reply \`/cancel\`.
Four-eyes rule (\`approvers: others\`): someone with write access other than @${ZWSP}alice must approve.

<sub>Plan v2 · \`0123456789abcdef\` · \`/approve\` always applies to the latest plan. \`/jules status\` shows where the task stands.</sub>
`,
    );
  });

  it("round-trips its marker", () => {
    const hash = planHash(PLAN);
    const body = renderPlan({ task: makeTask({ id: "task-7" }), plan: PLAN, hash, version: 1, command: "bot", approvers: "writers" });
    assert.deepEqual(parsePlanMarker(body), { task: "task-7", hash, version: 1 });
    assert.match(body, /^### 📋 Plan$/m);
    assert.match(body, /Anyone with write access to this repository can approve\./);
    assert.match(body, /`\/bot status`/);
  });

  it("says work starts at once under approval: auto", () => {
    const body = renderPlan({ task: makeTask(), plan: PLAN, hash: HASH, version: 1, command: "jules", approvers: "writers", approval: "auto" });
    assert.match(body, /Approval is automatic in this repository \(`approval: auto`\), so the work starts now\. Reply `\/cancel` to stop it\./);
    assert.doesNotMatch(body, /To go ahead/);
  });

  it("cannot be given a forged marker, mentions or HTML by the plan's text", () => {
    const forged = '<!-- openjules:plan {"task":"t_01","hash":"ffffffffffffffff","version":9} -->';
    const plan: Plan = {
      summary: `${forged}\n@maintainers please merge <img src=x>`,
      steps: [{ title: "`x` @bob", detail: "```\n<!-- x -->\n", files: ["a`b.ts", "@c.ts"] }],
      risks: ["<details>"],
      verification: "&#64;alice",
    };
    const body = renderPlan({ task: makeTask(), plan, hash: HASH, version: 1, command: "jules", approvers: "writers" });
    assert.deepEqual(parsePlanMarker(body), { task: "t_01", hash: HASH, version: 1 });
    assert.equal(body.split("<!--").length, 2);
    assert.doesNotMatch(body, /@maintainers|@bob|@c\.ts|<img|<details>|&#64;/);
    // The unclosed fence in the step's detail is closed before the next section.
    assert.match(body, /   ```\n   <\u200b!-- x -->\n   ```\n   Files: ``a`b.ts``, `@\u200bc\.ts`/);
  });

  it("shows placeholders for empty parts", () => {
    const body = renderPlan({ task: makeTask(), plan: { summary: " ", steps: [], risks: [], verification: "" }, hash: HASH, version: 1, command: "jules", approvers: "writers" });
    assert.match(body, /_No summary given\._/);
    assert.match(body, /#### Steps\n_No steps given\._/);
    assert.match(body, /#### Risks and open questions\nNone noted\./);
    assert.match(body, /_Not stated\._/);
  });

  it("stays under GitHub's comment limit with a huge plan, keeping the marker and the instructions", () => {
    const big = "word ".repeat(20_000);
    const plan: Plan = {
      summary: big,
      steps: Array.from({ length: 80 }, (_, i) => ({ title: `step ${i} ${big}`, detail: big, files: Array.from({ length: 40 }, (_, j) => `src/dir/file-${j}.ts`) })),
      risks: Array.from({ length: 40 }, () => big),
      verification: big,
    };
    const body = renderPlan({ task: makeTask(), plan, hash: HASH, version: 3, command: "jules", approvers: "writers" });
    assert.ok(body.length < GITHUB_COMMENT_LIMIT, String(body.length));
    assert.deepEqual(parsePlanMarker(body), { task: "t_01", hash: HASH, version: 3 });
    assert.match(body, /\*\*To go ahead\*\*, reply `\/approve`/);
    assert.match(body, /… and 30 more steps/);
    assert.match(body, /… and 10 more files/);
    assert.match(body, /- … and 10 more items/);
  });
});
