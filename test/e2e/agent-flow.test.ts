import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createAgentFromSettings } from "../../src/agent/from-settings.ts";
import type { Workspaces } from "../../src/workspace/port.ts";
import { createWorkspaces } from "../../src/workspace/from-settings.ts";
import { call, type Step } from "../helpers/fake-llm/script.ts";
import { startFakeLlm, type FakeLlm, type WireFormat } from "../helpers/fake-llm/server.ts";
import { BASE_COMMITS } from "../helpers/git/workspace-fixture.ts";
import { startGitServer, type GitServer } from "../helpers/git-server.ts";
import { GitHubMock, INSTALLATION_TOKEN } from "../helpers/github-mock.ts";
import { servedComment } from "../helpers/served-comment.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * The foundation driving the real agent: `/jules` → the model (real SDK, fake
 * server) reads the repository and submits a plan → plan comment → `/approve`
 * → the model edits a real git working copy → finish.
 */
const PLAN = {
  summary: "Write the answer as a literal.",
  steps: [{ title: "Replace 41 + 1 with 42", files: ["src/index.js"] }],
  risks: [],
  verification: "Read the file back.",
};

const planning: Step[] = [call("list_files", {}), call("read_file", { path: "src/index.js" }), call("submit_plan", PLAN)];
const executing: Step[] = [call("edit_file", { path: "src/index.js", old_string: "41 + 1", new_string: "42" }), call("finish", { summary: "The answer is now the literal 42." })];

for (const format of ["openai", "anthropic"] as WireFormat[]) {
  describe(`the real agent through the foundation (${format})`, () => {
    let llm: FakeLlm;
    let git: GitServer;
    let app: TestApp;
    const edited: string[] = [];
    beforeAll(async () => {
      llm = await startFakeLlm();
      git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
    });
    afterAll(async () => {
      await llm.close();
      await git.close();
    });
    afterEach(async () => {
      await app.close();
      GitHubMock.reset();
    });

    it("plans from the code it read, and after /approve edits the working copy", async () => {
      const cloneUrl = await git.createRepo("Codertocat", "Hello-World", BASE_COMMITS);
      const env: Record<string, string> =
        format === "openai"
          ? { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: llm.openaiBaseUrl }
          : { JULES_PROVIDER: "anthropic", JULES_MODEL: "claude-sonnet-4-6", ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: llm.anthropicBaseUrl };
      let real: Workspaces | null = null;
      // The real git workspaces; before each checkout is removed, the test reads the file the agent edits.
      const observed: Workspaces = {
        async checkout(task, options) {
          const checkout = await real!.checkout(task, options);
          const dispose = async () => {
            edited.push(await readFile(join(checkout.dir, "src/index.js"), "utf8"));
            await checkout.dispose();
          };
          return { ...checkout, dispose };
        },
      };
      app = await startTestApp({
        env: { ...env, JULES_WORKSPACE_SPARES: "0" },
        agentFactory: (settings) => {
          real = createWorkspaces(settings, { ...settings.workspace, sparesPerRepo: 0 });
          return createAgentFromSettings(settings);
        },
        workspaces: observed,
      });
      llm.push(...planning);

      const gh = new GitHubMock();
      gh.token().config(null, 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();
      const start = servedComment(gh, "/jules make the answer a literal", cloneUrl);
      await app.receive("issue_comment", start);
      await app.settle();

      const task = await app.store.findLatest("Codertocat", "Hello-World", 1);
      assert.equal(task?.state, "awaiting_approval", `${JSON.stringify(task?.failure)} ${gh.requests.map((r) => `${r.method} ${r.path}`).join(", ")}`);
      assert.deepEqual(task?.plan?.steps[0]?.files, ["src/index.js"]);
      assert.match(gh.posted()[1]!, /Replace 41 \+ 1 with 42/);
      // The model saw the file's real content in a tool result.
      assert.ok(llm.requests.some((r) => JSON.stringify(r.body).includes("41 + 1")));
      assert.equal(edited.at(-1), "export const answer = 41 + 1;\n", "planning changes nothing");

      llm.push(...executing);
      const approve = servedComment(gh, "/approve", cloneUrl);
      await app.receive("issue_comment", approve);
      await app.settle();

      const done = await app.store.get(task!.id);
      assert.equal(done?.state, "done", JSON.stringify(done?.failure));
      assert.equal(edited.at(-1), "export const answer = 42;\n");
      assert.ok((done?.usage?.calls ?? 0) >= 5, "usage is counted across both phases");
      assert.equal(llm.remaining, 0);
      gh.assertClean();
    });
  });
}
