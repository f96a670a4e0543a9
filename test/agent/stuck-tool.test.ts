import assert from "node:assert/strict";
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from "vitest";
import { z } from "zod";
import { ToolLoop } from "../../src/agent/loop.ts";
import { submitPlanTool } from "../../src/agent/tools/submit-plan.ts";
import { defineTool, type ToolContext } from "../../src/agent/tools/tool.ts";
import { UsageMeter } from "../../src/agent/usage.ts";
import { BIG_BUDGET, RecordingProgress } from "../helpers/fake-llm/loop-kit.ts";
import { providerFor } from "../helpers/fake-llm/providers.ts";
import { call } from "../helpers/fake-llm/script.ts";
import { type FakeLlm, startFakeLlm } from "../helpers/fake-llm/server.ts";
import { makeWorkdir, toolContext, type Workdir } from "../helpers/fake-llm/workdir.ts";
import { within } from "../helpers/within.ts";

/**
 * A tool that never settles (a read stuck in the kernel, a child that never
 * exits) must not outlive its task: the loop races every tool call with the
 * task's abort signal, the phase deadline and a per-tool deadline.
 */

const PLAN = { summary: "Do it.", steps: [{ title: "Step", files: ["a.ts"] }], risks: [], verification: "npm test" };

/** Never settles, whatever its signal says: the worst a tool can do. */
const stuckTool = defineTool({
  name: "stuck",
  description: "A tool that never finishes.",
  schema: z.object({}),
  execute: () => new Promise(() => {}),
});

describe("tool loop with a tool that never settles", () => {
  let llm: FakeLlm;
  let wd: Workdir;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());
  beforeEach(async () => {
    llm.reset();
    wd = await makeWorkdir({ "a.ts": "export {};\n" });
  });
  afterEach(() => wd.cleanup());

  const loopWith = (options: { signal?: AbortSignal; maxWallMs?: number; ctx?: Partial<ToolContext> } = {}) =>
    new ToolLoop({
      phase: "Planning",
      provider: providerFor("openai", llm),
      system: "You are a test agent.",
      tools: [stuckTool, submitPlanTool],
      ctx: toolContext(wd.root, { mode: "plan", ...options.ctx }),
      budget: { ...BIG_BUDGET, ...(options.maxWallMs ? { maxWallMs: options.maxWallMs } : {}) },
      meter: new UsageMeter({ before: null, price: null, model: "fake" }),
      nudge: "Call a tool.",
      progress: new RecordingProgress(),
      signal: options.signal,
    });

  it("a cancelled task ends while the tool is still running", async () => {
    llm.push(call("stuck", {}));
    const controller = new AbortController();
    const pending = loopWith({ signal: controller.signal }).run("Go.");
    setTimeout(() => controller.abort(new Error("task cancelled")), 200);
    const error = await within(
      2_000,
      pending.then(
        () => null,
        (e: unknown) => e,
      ),
      "the loop after cancelling",
    );
    assert.match(String(error), /task cancelled/);
  });

  it("the phase time limit ends the loop while the tool is still running", async () => {
    llm.push(call("stuck", {}));
    const error = await within(
      3_000,
      loopWith({ maxWallMs: 500 })
        .run("Go.")
        .then(
          () => null,
          (e: unknown) => e,
        ),
      "the loop past its time limit",
    );
    assert.match(String(error), /time limit/);
  });

  it("a tool past its own deadline is an error result the model sees, and the loop goes on", async () => {
    llm.push(call("stuck", {}), call("submit_plan", PLAN));
    const loop = loopWith({ ctx: { toolDeadlineMs: 300 } });
    const outcome = await within(3_000, loop.run("Go."), "the loop past a tool's deadline");
    assert.equal(outcome.kind, "plan");
    const result = loop.conversation.messages.find((m) => m.role === "tool");
    assert.match(String(result && "content" in result ? result.content : ""), /stuck did not finish within 0\.3 s/);
  });
});
