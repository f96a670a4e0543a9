import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { answerTool } from "../../../src/agent/tools/answer.ts";
import { finishTool } from "../../../src/agent/tools/finish.ts";
import { executionTools, planningTools } from "../../../src/agent/tools/tool-sets.ts";
import { submitPlanTool } from "../../../src/agent/tools/submit-plan.ts";
import { toolSpec } from "../../../src/agent/tools/tool.ts";
import { runToolCall } from "../../../src/agent/tool-call.ts";
import { toolContext } from "../../helpers/fake-llm/workdir.ts";
import { invoke } from "../../helpers/fake-llm/invoke-tool.ts";

const plan = {
  summary: "Fix the off-by-one in paginate().",
  steps: [{ title: "Fix the bound", files: ["src/paginate.ts"] }],
  verification: "Add a test for the last page.",
};

describe("terminal tools", () => {
  it("submit_plan validates the plan and ends planning with it (risks default to [])", async () => {
    const result = await invoke(submitPlanTool, plan, toolContext("/repo", { mode: "plan" }));
    assert.deepEqual(result.outcome, { kind: "plan", plan: { ...plan, risks: [] } });
  });

  it("submit_plan rejects a malformed plan with the schema's reasons", async () => {
    const result = await invoke(submitPlanTool, { ...plan, steps: [{ title: "x", files: ["../etc/passwd"] }] }, toolContext("/repo"));
    assert.equal(result.isError, true);
    assert.equal(result.outcome, undefined);
    assert.match(result.content, /relative to the repository root/);
    const empty = await invoke(submitPlanTool, { ...plan, steps: [] }, toolContext("/repo"));
    assert.match(empty.content, /steps/);
  });

  it("answer and finish end their phase", async () => {
    assert.deepEqual((await invoke(answerTool, { answer: "It is in src/a.ts:3." }, toolContext("/repo"))).outcome, { kind: "answer", answer: "It is in src/a.ts:3." });
    assert.deepEqual((await invoke(finishTool, { summary: "Fixed." }, toolContext("/repo"))).outcome, { kind: "finish", summary: "Fixed." });
  });

  it("planning gets read-only tools plus submit_plan and answer; execution gets the rest plus finish", () => {
    assert.deepEqual(
      planningTools().map((t) => t.name),
      ["list_files", "read_file", "search", "submit_plan", "answer"],
    );
    assert.deepEqual(
      executionTools().map((t) => t.name),
      ["list_files", "read_file", "search", "edit_file", "write_file", "run", "finish"],
    );
  });

  it("sends JSON Schemas generated from the zod schemas, without $schema", () => {
    const spec = toolSpec(submitPlanTool);
    assert.equal(spec.parameters.type, "object");
    assert.equal(spec.parameters.$schema, undefined);
    assert.deepEqual(spec.parameters.required, ["summary", "steps", "verification"]);
  });

  it("reports unknown tools and invalid JSON as errors asking to resend", async () => {
    const tools = new Map([[finishTool.name, finishTool]]);
    const unknown = await runToolCall({ id: "1", name: "rm_rf", arguments: "{}" }, tools, toolContext("/repo"));
    assert.match(unknown.content, /no tool named "rm_rf"; available tools: finish/);
    const broken = await runToolCall({ id: "2", name: "finish", arguments: '{"summary": "x"' }, tools, toolContext("/repo"));
    assert.equal(broken.isError, true);
    assert.match(broken.content, /not valid JSON .*Resend the call/s);
  });
});
