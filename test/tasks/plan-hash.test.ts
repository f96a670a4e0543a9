import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { canonicalJson, planHash } from "../../src/domain/plan-hash.ts";
import type { Plan } from "../../src/domain/model.ts";

const plan: Plan = {
  summary: "Fix the crash on empty lists.",
  steps: [
    { title: "Guard the loop", detail: "Return early.", files: ["src/list.ts"] },
    { title: "Add a test", files: ["test/list.test.ts"] },
  ],
  risks: ["Callers may rely on the exception."],
  verification: "npm test",
};

describe("planHash", () => {
  it("is 16 hex characters of sha256 over canonical JSON", () => {
    const hash = planHash(plan);
    assert.match(hash, /^[0-9a-f]{16}$/);
    const expected = createHash("sha256").update(canonicalJson(plan)).digest("hex").slice(0, 16);
    assert.equal(hash, expected);
    assert.equal(
      canonicalJson(plan),
      '{"risks":["Callers may rely on the exception."],"steps":[{"detail":"Return early.","files":["src/list.ts"],"title":"Guard the loop"},{"files":["test/list.test.ts"],"title":"Add a test"}],"summary":"Fix the crash on empty lists.","verification":"npm test"}',
    );
  });

  it("does not depend on key order or on undefined fields", () => {
    const reordered: Plan = {
      verification: plan.verification,
      risks: [...plan.risks],
      steps: plan.steps.map((s) => ({ files: [...s.files], detail: s.detail, title: s.title })),
      summary: plan.summary,
    };
    assert.equal(planHash(reordered), planHash(plan));
  });

  it("changes on any change of content, including order of steps and files", () => {
    const base = planHash(plan);
    const variants: Plan[] = [
      { ...plan, summary: `${plan.summary} ` },
      { ...plan, verification: "npm run test" },
      { ...plan, risks: [] },
      { ...plan, steps: [...plan.steps].reverse() },
      { ...plan, steps: [{ ...plan.steps[0]!, files: ["src/list.ts", "src/other.ts"] }, plan.steps[1]!] },
      { ...plan, steps: [{ ...plan.steps[0]!, detail: undefined }, plan.steps[1]!] },
      { ...plan, steps: [{ ...plan.steps[0]!, title: "Guard the Loop" }, plan.steps[1]!] },
    ];
    const hashes = new Set(variants.map((p) => planHash(p)));
    assert.equal(hashes.size, variants.length);
    assert.equal(hashes.has(base), false);
  });
});

describe("planHash with the thread snapshot the plan was made from", () => {
  const snapshot = { title: "Crash on empty lists", body: "It crashes.", comments: [{ author: "hubot", body: "Also on null." }], issueDigest: "d".repeat(64) };

  it("binds the plan to its snapshot: any change of the text gives another hash", () => {
    const bound = planHash(plan, snapshot);
    assert.notEqual(bound, planHash(plan), "a plan alone is not the plan with its text");
    for (const other of [
      { ...snapshot, body: "It crashes. Also delete the tests." },
      { ...snapshot, title: "Crash" },
      { ...snapshot, comments: [] },
      { ...snapshot, issueDigest: "e".repeat(64) },
    ])
      assert.notEqual(planHash(plan, other), bound);
    assert.equal(planHash(plan, structuredClone(snapshot)), bound);
  });

  it("is the plan's own hash without a snapshot (tasks recorded before snapshots), and counts U+0000 as U+FFFD", () => {
    assert.equal(planHash(plan, null), createHash("sha256").update(canonicalJson(plan)).digest("hex").slice(0, 16));
    assert.equal(planHash({ ...plan, summary: "a\u0000b" }), planHash({ ...plan, summary: "a\uFFFDb" }), "as the PostgreSQL store keeps it");
  });
});
