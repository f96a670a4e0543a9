import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, afterEach, describe, it } from "vitest";
import { createKeyUseCases } from "../../../src/accounts/keys.ts";
import { createAgentFromSettings } from "../../../src/agent/from-settings.ts";
import { transcriptPath } from "../../../src/agent/transcript.ts";
import { enqueueTaskJob } from "../../../src/tasks/task-jobs.ts";
import { call } from "../../helpers/fake-llm/script.ts";
import { type FakeLlm, startFakeLlm } from "../../helpers/fake-llm/server.ts";
import { mockAnyTokens, mockRepoInstallation, mockRepository } from "../../helpers/github-app-mock.ts";
import { GitHubMock } from "../../helpers/github-mock.ts";
import { OWNER, operator, REPO, taskIn, user, withHarness } from "./harness.ts";

const OPERATOR_KEY = "sk-test-the-operators-openai-key";
/** Not shaped like any known key, so only the task's own secret list can redact it. */
const MONAS_KEY = "mona-own-key-7f3a9c2e51d4b8a6e0c3";
const PLAN = { summary: "Add the flag.", steps: [{ title: "Add it", files: [] }], risks: [], verification: "The tests." };

/**
 * Tasks on the requester's own provider key: the control plane's create
 * (the key recorded), the worker's plan job with the real agent and the
 * OpenAI SDK against the fake model server (the key in the Authorization
 * header), GitHub mocked over HTTP.
 */
const llm: FakeLlm = await startFakeLlm();
afterAll(() => llm.close());
const ENV = {
  JULES_PROVIDER: "openai",
  JULES_MODEL: "gpt-4o",
  OPENAI_API_KEY: OPERATOR_KEY,
  JULES_ALLOW_USER_KEYS: "true",
  JULES_SECRET_KEY: Buffer.alloc(32, 3).toString("base64"),
};

describe("a task started by someone who saved their own key", { timeout: 60_000 }, () => {
  const h = withHarness({
    startWorker: true,
    env: { ...ENV, OPENAI_BASE_URL: llm.openaiBaseUrl },
    agentFactory: (settings) => createAgentFromSettings(settings, { environments: undefined }),
  });
  const keys = () => createKeyUseCases({ accounts: h().app.deps.store.accounts, allowUserKeys: true, secretKey: h().app.jules.settings.web.secretKey });
  afterEach(() => llm.reset());

  /** GitHub for `tasks` creates and their plan jobs (each reads .github/jules.yml twice: create and the plan job). */
  const githubFor = (tasks: number) => {
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    mockRepoInstallation(gh, 1, tasks);
    mockRepository(gh, {}, tasks);
    gh.config(null, 2 * tasks);
    return gh;
  };
  /** Creates a task through the control plane as `login` (the plan job then runs on the worker). */
  const create = async (gh: GitHubMock, login: string, instruction: string) => {
    gh.role(login, "write");
    const made = await h().plane.create(user(login, { face: "web" }), { repository: `${OWNER}/${REPO}`, instruction });
    assert.ok(made.ok, made.ok ? "" : made.error.detail);
    return made.value.task;
  };
  const requestFor = (instruction: string) => llm.requests.find((r) => JSON.stringify(r.body.messages).includes(instruction));

  it("plans on the user's key while another's task plans on the operator's, and shows whose key it was billed to", async () => {
    const saved = await keys().save(user("mona", { face: "web" }), { provider: "openai", apiKey: MONAS_KEY });
    assert.ok(saved.ok);
    const gh = githubFor(2);
    llm.push(call("submit_plan", PLAN), call("submit_plan", PLAN));
    const mine = await create(gh, "mona", "Add a --json flag (mona)");
    const theirs = await create(gh, "hubot", "Add a --json flag (hubot)");
    assert.deepEqual(mine.ownKey, { login: "mona", provider: "openai", last4: MONAS_KEY.slice(-4) });
    assert.equal(theirs.ownKey, null);
    await h().app.settle();

    for (const task of [mine, theirs]) assert.equal((await h().deps.store.get(task.id))?.state, "awaiting_approval", task.requestedBy);
    assert.equal(llm.requests.length, 2);
    assert.equal(requestFor("(mona)")?.headers.authorization, `Bearer ${MONAS_KEY}`);
    assert.equal(requestFor("(hubot)")?.headers.authorization, `Bearer ${OPERATOR_KEY}`);
    const view = await h().plane.get(operator("web"), mine.id);
    assert.deepEqual(view.ok && view.value.task.ownKey, { login: "mona", provider: "openai", last4: MONAS_KEY.slice(-4) });
    gh.assertClean();
  });

  it("keeps the key out of the failure and the transcript when the provider quotes it back", async () => {
    await keys().save(user("mona"), { provider: "openai", apiKey: MONAS_KEY });
    const gh = githubFor(1);
    // A 400 is told with the provider's own words: here they quote the key.
    llm.push({ kind: "fail", status: 400, message: `The key ${MONAS_KEY} may not use this model` });
    const task = await create(gh, "mona", "Refused by the provider");
    await h().app.settle();

    const failed = await h().deps.store.get(task.id);
    assert.equal(failed?.state, "failed");
    assert.equal(llm.requests[0]?.headers.authorization, `Bearer ${MONAS_KEY}`);
    const everything = JSON.stringify([failed, await h().deps.store.history(task.id), await h().deps.store.readEvents(task.id, 0, 1000)]);
    assert.ok(!everything.includes(MONAS_KEY), everything);
    assert.match(failed?.failure?.reason ?? "", /rejected the request \(HTTP 400\): .*The key \[REDACTED:configured-secret\] may not use this model/);
    const transcript = transcriptPath(h().app.dataDir, task.id);
    if (existsSync(transcript)) assert.ok(!readFileSync(transcript, "utf8").includes(MONAS_KEY));
    gh.assertClean();
  });

  it("tells the requester, not the operator, to fix a key the provider refuses", async () => {
    await keys().save(user("mona"), { provider: "openai", apiKey: MONAS_KEY });
    const gh = githubFor(1);
    llm.push({ kind: "fail", status: 401, message: "Incorrect API key provided." });
    const task = await create(gh, "mona", "Refused key");
    await h().app.settle();
    const failed = await h().deps.store.get(task.id);
    assert.match(failed?.failure?.hint ?? "", /^The provider refused your saved openai key: save a valid one on the Settings page/);
    gh.assertClean();
  });

  it("fails with what to do, without calling the model, when the saved key was deleted before the task ran", async () => {
    await keys().save(user("mona"), { provider: "openai", apiKey: MONAS_KEY });
    await keys().remove(user("mona"), "openai");
    const task = await taskIn(h(), "queued", { requestedBy: "mona", ownKey: { login: "mona", provider: "openai", last4: "0000" } });
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    gh.config(null);
    await enqueueTaskJob(h().deps.queue, task, "plan");
    await h().app.settle();

    const failed = await h().deps.store.get(task.id);
    assert.equal(failed?.state, "failed");
    assert.match(failed?.failure?.reason ?? "", /own openai key \(••••0000\), but that saved key was deleted/);
    assert.match(failed?.failure?.hint ?? "", /Save the key again on the Settings page and retry the task .* or retry it without a saved key to run on the operator's/);
    assert.equal(llm.requests.length, 0, "never on the operator's key instead");
  });
});

/** Retries through the control plane (the worker stopped, so the new tasks stay queued). */
describe("a retry of a task that ran on an own key", () => {
  const h = withHarness({ env: ENV });
  const keys = () => createKeyUseCases({ accounts: h().app.deps.store.accounts, allowUserKeys: true, secretKey: h().app.jules.settings.web.secretKey });

  it("runs on the retrier's key for that provider, or on the operator's when they saved none", async () => {
    const ownKey = { login: "mona", provider: "openai", last4: "0000" };
    const gh = new GitHubMock();
    mockAnyTokens(gh);
    gh.role("hubot", "write").role("mona", "write", 2);
    const byHubot = await h().plane.retry(user("hubot"), (await taskIn(h(), "failed", { requestedBy: "mona", ownKey })).id);
    assert.equal(byHubot.ok && byHubot.value.ownKey, null);
    await keys().save(user("mona"), { provider: "openai", apiKey: MONAS_KEY });
    const byMona = await h().plane.retry(user("mona"), (await taskIn(h(), "failed", { requestedBy: "mona", ownKey })).id);
    assert.deepEqual(byMona.ok && byMona.value.ownKey, { login: "mona", provider: "openai", last4: MONAS_KEY.slice(-4) });
    const onOperators = await h().plane.retry(user("mona"), (await taskIn(h(), "failed", { requestedBy: "mona" })).id);
    assert.equal(onOperators.ok && onOperators.value.ownKey, null, "a task on the operator's keys is retried on them");
    gh.assertClean();
  });
});
