import assert from "node:assert/strict";
import nock from "nock";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createAgentFromSettings } from "../../../src/agent/from-settings.ts";
import { call } from "../../helpers/fake-llm/script.ts";
import { type FakeLlm, startFakeLlm } from "../../helpers/fake-llm/server.ts";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { type Harness, startHarness, taskIn, user } from "./harness.ts";

/**
 * A message to a paused task waits, and the resumed run's agent reads it at
 * its first turn: the control plane's message and resume, the worker's
 * execute job, the real agent with the OpenAI SDK against the fake model
 * server (GitHub mocked over HTTP).
 */
describe("a message sent while a task is paused", { timeout: 60_000 }, () => {
  let llm: FakeLlm;
  let harness: Harness;
  beforeAll(async () => {
    llm = await startFakeLlm();
    harness = await startHarness({
      startWorker: true,
      env: { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: "sk-test-message-on-resume", OPENAI_BASE_URL: llm.openaiBaseUrl },
      agentFactory: (settings) => createAgentFromSettings(settings, { environments: undefined }),
    });
  });
  afterAll(async () => {
    await harness?.close();
    await llm?.close();
    GitHubMock.reset();
  });
  const h = () => harness;

  it("reaches the model at the resumed run's first turn, once", async () => {
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
    const task = await taskIn(h(), "paused");
    const gh = new GitHubMock().token().role("hubot", "write", 2).config(null, 2).identity();
    const sent = await h().plane.message(user("hubot", { face: "cli" }), task.id, { text: "Keep the README short." });
    assert.deepEqual(sent.ok && sent.value.delivery, "on_resume");
    assert.equal(llm.requests.length, 0, "nothing runs before the resume");

    llm.push(call("list_files", {}), call("finish", { summary: "Went on from the checkpoint." }));
    const resumed = await h().plane.resume(user("hubot", { face: "cli" }), task.id, {});
    assert.ok(resumed.ok, resumed.ok ? "" : resumed.error.detail);
    await h().app.settle();

    const done = await h().deps.store.get(task.id);
    assert.equal(done?.state, "done", JSON.stringify(done?.failure));
    assert.equal(llm.requests.length, 2, "the resumed run's two turns");
    const first = JSON.stringify(llm.requests[0]?.body.messages);
    assert.match(first, /A message from hubot/);
    assert.match(first, /author=\\"hubot\\" face=\\"cli\\">\\nKeep the README short\./);
    assert.ok(
      llm.requests.slice(1).every((r) => JSON.stringify(r.body.messages).split("Keep the README short.").length === 2),
      "taken once: later requests carry it only as history",
    );
    assert.deepEqual(await h().deps.store.takeMessages(task.id), []);
    gh.assertClean();
  });
});
