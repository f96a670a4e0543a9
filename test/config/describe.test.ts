import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { DEFAULT_DENY_PATHS } from "../../src/security/default-deny-paths.ts";
import { describeEffectiveConfig } from "../../src/config/describe.ts";
import { defaultRepoConfig, RepoConfigSchema } from "../../src/config/repo-config.ts";
import { closest } from "../../src/config/closest.ts";

describe("describeEffectiveConfig", () => {
  it("lists every key, with budgets flattened, defaults filled in and unset keys as null", () => {
    const rows = describeEffectiveConfig(defaultRepoConfig());
    assert.deepEqual(
      rows.map((r) => r.key),
      [
        "command",
        "label",
        "approval",
        "approvers",
        "instructions",
        "provider",
        "model",
        "budgets.max_turns",
        "budgets.max_tokens",
        "budgets.max_cost_usd",
        "budgets.max_minutes",
        "deny_paths",
        "setup",
        "test",
        "setup_network",
        "env",
        "on_setup_failure",
        "on_test_failure",
        "agent",
        "assignee",
        "ci_fix",
        "max_ci_fix_attempts",
        "draft",
        "labels",
      ],
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    assert.deepEqual(byKey.get("approval"), {
      key: "approval",
      value: "required",
      unset: "not set",
      description: "`required`: a writer must `/approve` the plan before any code is changed. `auto`: work starts as soon as the plan is posted.",
    });
    assert.deepEqual(JSON.parse(byKey.get("deny_paths")?.value ?? "null"), [...DEFAULT_DENY_PATHS]);
    assert.equal(byKey.get("draft")?.value, "true");
    assert.equal(byKey.get("setup_network")?.value, "public");
    assert.equal(byKey.get("env")?.value, "{}");
    assert.equal(byKey.get("test")?.value, null);
    assert.equal(byKey.get("test")?.unset, "detected");
    assert.equal(byKey.get("budgets.max_turns")?.unset, "the operator's cap");
    for (const row of rows) assert.ok(row.description.length > 0, row.key);
  });

  it("shows the repository's own values", () => {
    const config = RepoConfigSchema.parse({ command: "bot", budgets: { max_turns: 7 }, test: "make check" });
    const byKey = new Map(describeEffectiveConfig(config).map((r) => [r.key, r.value]));
    assert.equal(byKey.get("command"), "bot");
    assert.equal(byKey.get("budgets.max_turns"), "7");
    assert.equal(byKey.get("test"), "make check");
  });
});

describe("closest", () => {
  it("suggests a near key and nothing for a far one", () => {
    const keys = ["approval", "approvers", "labels", "label"];
    assert.equal(closest("aproval", keys), "approval");
    assert.equal(closest("Approvers", keys), "approvers");
    assert.equal(closest("lables", keys), "labels");
    assert.equal(closest("colour", keys), null);
    assert.equal(closest("x", []), null);
  });
});
