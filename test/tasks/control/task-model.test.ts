import assert from "node:assert/strict";
import { afterAll, afterEach, describe, it } from "vitest";
import { createAgentFromSettings } from "../../../src/agent/from-settings.ts";
import { taskModelChoice } from "../../../src/agent/providers/create-provider.ts";
import { call } from "../../helpers/fake-llm/script.ts";
import { type FakeLlm, startFakeLlm } from "../../helpers/fake-llm/server.ts";
import { mockAnyTokens, mockRepoInstallation, mockRepository } from "../../helpers/github-app-mock.ts";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { OWNER, REPO, user, withHarness } from "./harness.ts";

const PLAN = { summary: "Add the flag.", steps: [{ title: "Add it", files: [] }], risks: [], verification: "The tests." };

/**
 * The model asked for when a task is created (API, CLI, MCP, web: `model`, within JULES_ALLOWED_MODELS) is the one
 * its agent calls: the real agent and the OpenAI SDK against the fake model server, GitHub mocked over HTTP.
 */
const llm: FakeLlm = await startFakeLlm();
afterAll(() => llm.close());

describe("a task created with a model", { timeout: 60_000 }, () => {
  const h = withHarness({
    startWorker: true,
    allowedModels: ["openai:gpt-5-mini", "gpt-4.1-nano"],
    env: {
      JULES_PROVIDER: "openai",
      JULES_MODEL: "gpt-4o",
      OPENAI_API_KEY: "sk-test-operator",
      OPENAI_BASE_URL: llm.openaiBaseUrl,
      JULES_ALLOWED_MODELS: "openai:gpt-5-mini,gpt-4.1-nano",
    },
    agentFactory: (settings) => createAgentFromSettings(settings, { environments: undefined }),
  });
  afterEach(() => llm.reset());

  it("plans on that model, while a task without one plans on the operator's", async () => {
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    mockRepoInstallation(gh, 1, 3);
    mockRepository(gh, {}, 3);
    gh.config(null, 6);
    gh.role("mona", "write", 3);
    llm.push(call("submit_plan", PLAN), call("submit_plan", PLAN), call("submit_plan", PLAN));
    for (const [instruction, model] of [
      ["(chosen)", "openai:gpt-5-mini"],
      ["(bare)", "gpt-4.1-nano"],
      ["(default)", undefined],
    ] as const) {
      const made = await h().plane.create(user("mona", { face: "api" }), { repository: `${OWNER}/${REPO}`, instruction: `Add a flag ${instruction}`, ...(model ? { model } : {}) });
      assert.ok(made.ok, made.ok ? "" : made.error.detail);
    }
    await h().app.settle();
    const modelOf = (marker: string) => llm.requests.find((r) => JSON.stringify(r.body.messages).includes(marker))?.body.model;
    assert.equal(modelOf("(chosen)"), "gpt-5-mini");
    assert.equal(modelOf("(bare)"), "gpt-4.1-nano");
    assert.equal(modelOf("(default)"), "gpt-4o");
    gh.assertClean();
  });
});

describe("taskModelChoice", () => {
  it("takes the task's model over the repository's, a bare one keeping the repository's provider, and refuses an unknown provider", () => {
    assert.deepEqual(taskModelChoice(null, { provider: "anthropic", model: "claude" }), { provider: "anthropic", model: "claude" });
    assert.deepEqual(taskModelChoice("openai:gpt-5", { provider: "anthropic", model: "claude" }), { provider: "openai", model: "gpt-5" });
    assert.deepEqual(taskModelChoice("gpt-5", { provider: "openai-compatible" }), { provider: "openai-compatible", model: "gpt-5" });
    assert.throws(() => taskModelChoice("acme:big", {}), /acme is not a provider OpenJules knows/);
  });
});
