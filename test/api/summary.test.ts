import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { addToken } from "../../src/access/personal-tokens.ts";
import { espeakFinder } from "../../src/speech/espeak.ts";
import { wavInfo } from "../../src/speech/wav.ts";
import { mockAnyTokens, mockCompareDiff } from "../helpers/github-app-mock.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { taskIn } from "../tasks/control/harness.ts";
import { apiFixture, type ApiFixture, problemOf } from "./fixture.ts";

const BRANCH = "jules/fix-the-crash";
const DIFF = "diff --git a/src/sum.ts b/src/sum.ts\n--- a/src/sum.ts\n+++ b/src/sum.ts\n@@ -1 +1 @@\n-a\n+b\n";

/** GET /tasks/{id}/summary and its audio over real HTTP, with this machine's espeak-ng, and on a server without an engine. */
describe("/api/v1 spoken summaries", () => {
  let api: ApiFixture;
  let silent: ApiFixture;
  beforeAll(async () => {
    api = await apiFixture({ control: { speech: espeakFinder({ tts: "auto", path: "/usr/bin" }) } });
    silent = await apiFixture({ control: { speech: espeakFinder({ tts: "auto", path: "/nonexistent" }) } });
    mockAnyTokens(new GitHubMock());
  });
  afterAll(async () => {
    await api.close();
    await silent.close();
    GitHubMock.reset();
  });

  it("answers a done task's text with where its audio is, and the audio as a WAV file that plays", async () => {
    const task = await taskIn(api.h, "done", {}, { branch: BRANCH, pullRequestNumber: 9, pullRequestUrl: "https://github.com/Codertocat/Hello-World/pull/9" });
    const gh = new GitHubMock();
    mockCompareDiff(gh, "main", BRANCH, DIFF);
    mockCompareDiff(gh, "main", BRANCH, DIFF);
    const res = await api.request(`/api/v1/tasks/${task.id}/summary`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { text: string; audioUrl: string | null; engine: string | null };
    assert.equal(body.text, "Codertocat asked, in Hello-World: fix the crash. It changed one file, sum.ts. It opened pull request number 9 on github.com.");
    assert.equal(body.audioUrl, `/api/v1/tasks/${task.id}/summary/audio`);
    assert.match(body.engine ?? "", /^espeak-ng /);
    const audio = await api.request(body.audioUrl!);
    assert.equal(audio.status, 200);
    assert.equal(audio.headers.get("content-type"), "audio/wav");
    const bytes = new Uint8Array(await audio.arrayBuffer());
    assert.equal(Number(audio.headers.get("content-length")), bytes.length);
    const info = wavInfo(bytes);
    assert.ok(info && info.durationMs > 1000, "a RIFF/WAVE file with a duration in its header");
    gh.assertClean();
  });

  it("has no audio on a server without an engine: audioUrl null, and the audio route says why (404)", async () => {
    const task = await taskIn(silent.h, "cancelled");
    const body = (await (await silent.request(`/api/v1/tasks/${task.id}/summary`)).json()) as { text: string; audioUrl: string | null; engine: string | null };
    assert.deepEqual(body, { text: "Codertocat asked, in Hello-World: fix the crash. It was cancelled.", audioUrl: null, engine: null });
    const audio = await silent.request(`/api/v1/tasks/${task.id}/summary/audio`);
    assert.equal(audio.status, 404);
    const problem = await problemOf(audio);
    assert.equal(problem.title, "No audio");
    assert.match(problem.detail, /no speech engine \(espeak-ng or espeak on its PATH, with JULES_TTS not off\); speak the summary's text instead/);
  });

  it("answers 409 while the task runs, and 404 to a user who cannot see its repository", async () => {
    const working = await taskIn(api.h, "working");
    for (const path of ["summary", "summary/audio"]) {
      const res = await api.request(`/api/v1/tasks/${working.id}/${path}`);
      assert.equal(res.status, 409);
      assert.match((await problemOf(res)).detail, /spoken summary comes when the task ends/);
    }
    const failed = await taskIn(api.h, "failed");
    const { token } = addToken(api.tokenFile, { login: "eve", scopes: ["read"], repositories: null });
    const gh = new GitHubMock();
    gh.role("eve", "none", 2);
    for (const path of ["summary", "summary/audio"]) {
      const res = await api.request(`/api/v1/tasks/${failed.id}/${path}`, { token });
      assert.equal(res.status, 404);
      assert.equal((await problemOf(res)).title, "Task not found");
    }
    assert.equal(await api.h.deps.store.accounts.getSummary(failed.id), null, "nothing was made for her");
    gh.assertClean();
  });
});
