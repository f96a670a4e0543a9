import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { validateRepoConfig, type ConfigProblem } from "../../src/config/load.ts";
import { defaultRepoConfig } from "../../src/config/repo-config.ts";

function problems(raw: unknown): ConfigProblem[] {
  const result = validateRepoConfig(raw);
  assert.equal(result.ok, false, "expected problems");
  return result.ok ? [] : result.problems;
}

const ALL_KEYS =
  "one of the keys: `command`, `label`, `approval`, `approvers`, `instructions`, `provider`, `model`, `budgets`, `deny_paths`, `setup`, `test`, `setup_network`, `env`, `on_setup_failure`, `on_test_failure`, `agent`, `assignee`, `ci_fix`, `max_ci_fix_attempts`, `draft`, `labels`";

describe("validateRepoConfig", () => {
  it("gives the defaults when there is no file or an empty one", () => {
    for (const raw of [null, undefined, {}]) assert.deepEqual(validateRepoConfig(raw), { ok: true, config: defaultRepoConfig() });
    assert.equal(defaultRepoConfig().approval, "required");
    assert.equal(defaultRepoConfig().command, "jules");
  });

  it("accepts a full valid file and keeps its values", () => {
    const result = validateRepoConfig({
      command: "Bot",
      label: "ai",
      approval: "auto",
      approvers: "others",
      budgets: { max_turns: 10, max_cost_usd: 0.5 },
      deny_paths: ["secrets/**"],
      test: "npm test",
      labels: ["bot"],
      _extends: ".github",
    });
    assert.ok(result.ok);
    assert.equal(result.config.command, "Bot");
    assert.deepEqual(result.config.budgets, { max_turns: 10, max_cost_usd: 0.5 });
    assert.equal(result.config.draft, true);
    assert.equal("_extends" in result.config, false);
  });

  it("names a wrong enum value and lists the allowed ones", () => {
    assert.deepEqual(problems({ approval: "sometimes" }), [{ key: "approval", message: 'text "sometimes" is not an allowed value', expected: "one of: `required`, `auto`" }]);
  });

  it("names a wrong type and what the key expects", () => {
    assert.deepEqual(problems({ draft: "yes", labels: "bug" }), [
      { key: "draft", message: 'wrong type: found text "yes"', expected: "`true` or `false`" },
      { key: "labels", message: 'wrong type: found text "bug"', expected: "a list, each item text, not empty" },
    ]);
  });

  it("names an unknown key, suggests the likely one and lists the allowed keys", () => {
    assert.deepEqual(problems({ aproval: "required" }), [{ key: "aproval", message: "unknown key; did you mean `approval`?", expected: ALL_KEYS }]);
    assert.deepEqual(problems({ colour: "blue" }), [{ key: "colour", message: "unknown key", expected: ALL_KEYS }]);
  });

  it("reports nested budget problems with a dotted key", () => {
    assert.deepEqual(problems({ budgets: { max_turns: 0, max_tokens: "lots", max_turn: 3 } }), [
      { key: "budgets.max_turns", message: "`0` is too small", expected: "a whole number greater than 0" },
      { key: "budgets.max_tokens", message: 'wrong type: found text "lots"', expected: "a whole number greater than 0" },
      {
        key: "budgets.max_turn",
        message: "unknown key; did you mean `max_turns`?",
        expected: "one of the keys: `max_turns`, `max_tokens`, `max_cost_usd`, `max_minutes`",
      },
    ]);
    assert.deepEqual(problems({ budgets: { max_cost_usd: -1 } }), [{ key: "budgets.max_cost_usd", message: "`-1` is too small", expected: "a number greater than 0" }]);
  });

  it("explains an invalid command word", () => {
    assert.deepEqual(problems({ command: "/jules" }), [
      { key: "command", message: 'text "/jules" does not have the expected form', expected: "a single word of letters, digits or dashes, without the slash" },
    ]);
    assert.equal(problems({ command: "two words" })[0]?.key, "command");
    assert.deepEqual(problems({ command: 7 }), [{ key: "command", message: "wrong type: found `7`", expected: "text" }]);
  });

  it("reports list items, empty texts and a file that is not a mapping", () => {
    assert.deepEqual(problems({ deny_paths: ["ok/**", ""], label: "" }), [
      { key: "label", message: "must not be empty", expected: "text, not empty, at most 50 characters" },
      { key: "deny_paths.1", message: "must not be empty", expected: "text, not empty" },
    ]);
    const [whole] = problems(["approval"]);
    assert.equal(whole?.key, "(file)");
    assert.equal(whole?.message, "wrong type: found a list");
    assert.equal(whole?.expected, `a mapping with keys among: ${ALL_KEYS.slice("one of the keys: ".length)}`);
    assert.equal(problems("approval: auto")[0]?.message, 'wrong type: found text "approval: auto"');
  });

  it("shortens long values it quotes", () => {
    const [problem] = problems({ approval: "x".repeat(500) });
    assert.ok(problem && problem.message.length < 100, problem?.message);
  });
});
