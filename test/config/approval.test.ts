import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { autoApproval } from "../../src/config/approval.ts";

describe("autoApproval", () => {
  it("applies only with approval: auto and without the four-eyes rule", () => {
    assert.deepEqual(autoApproval({ approval: "auto", approvers: "writers" }), { applies: true, ignored: null });
    assert.deepEqual(autoApproval({ approval: "required", approvers: "others" }), { applies: false, ignored: null });
    assert.deepEqual(autoApproval({ approval: "required", approvers: "writers" }), { applies: false, ignored: null });
  });

  it("lets the four-eyes rule win over approval: auto, and says why", () => {
    const result = autoApproval({ approval: "auto", approvers: "others" });
    assert.equal(result.applies, false);
    assert.match(result.ignored ?? "", /`approval: auto` is ignored because `approvers: others`.*Remove one/);
  });
});
