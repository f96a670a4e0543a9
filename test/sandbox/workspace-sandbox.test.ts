import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createAgent } from "../../src/agent/agent.ts";
import { isPaused } from "../../src/agent/port.ts";
import { RepoConfigSchema } from "../../src/config/repo-config.ts";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";
import type { Settings } from "../../src/settings.ts";
import type { Task } from "../../src/domain/model.ts";
import { resolveTestCommands } from "../../src/sandbox/test-commands.ts";
import type { Workspace } from "../../src/workspace/port.ts";
import { mirrorPath } from "../../src/workspace/mirror-cache.ts";
import { call } from "../helpers/fake-llm/script.ts";
import { startFakeLlm, type FakeLlm } from "../helpers/fake-llm/server.ts";
import { gitOut } from "../helpers/git/repo.ts";
import { filesContaining, TOKEN, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

const commits = [
  {
    files: {
      "check.sh":
        '[ -f "$HOME/.cache/deps/marker" ] || { echo "FAIL: no setup marker in HOME"; exit 1; }\n[ "$MARK" = via-env ] || { echo "FAIL: no env"; exit 1; }\ngrep -q "answer = 42" src/index.js && echo "1 passed" || { echo "FAIL: answer is wrong"; exit 1; }\n',
      "src/index.js": "export const answer = 41;\n",
    },
  },
];

const settings = (llm: FakeLlm): Settings["agent"] =>
  ({
    provider: "openai",
    model: "gpt-4o",
    openai: { apiKey: "sk-test-home-0123456789abcdef", baseUrl: llm.openaiBaseUrl },
    anthropic: { apiKey: undefined, baseUrl: undefined },
    allowedModels: [],
    caps: { maxTurns: 20, maxTokens: 1_000_000, maxCostUsd: 5, maxMinutes: 10 },
    timeoutMs: 30_000,
    prices: undefined,
  }) as Settings["agent"];

describe("sandbox + workspace: repository code runs against a real task worktree", () => {
  let fx: WorkspaceFixture;
  let ws: Workspace;
  let llm: FakeLlm;
  const runner = createSandboxRunner({ mode: "bubblewrap" });
  beforeAll(async () => {
    fx = await workspaceFixture({}, commits);
    ws = await fx.manager.prepare(fx.request("t-int"));
    llm = await startFakeLlm();
  });
  afterAll(async () => {
    await llm.close();
    await ws.dispose();
    await fx.cleanup();
  });

  it("setup, the agent's run tool and the tests share the task's HOME; the tests fail, pass after an edit the app then commits", async () => {
    // What a real setup leaves in HOME (a venv, ~/.m2, Go's module cache): here a marker; check.sh needs it and the answer.
    const config = RepoConfigSchema.parse({ setup: "mkdir -p ~/.cache/deps && echo installed-$MARK > ~/.cache/deps/marker", test: "sh ./check.sh", env: { MARK: "via-env" } });
    llm.push(
      call("run", { command: "cat ~/.cache/deps/marker && echo seen-by-run > ~/.cache/deps/from-run" }),
      call("finish", { summary: "First try." }),
      call("run", { command: "sed -i 's/41/42/' src/index.js", keep: true }),
      call("run", { command: "echo built > build.log" }),
      call("finish", { summary: "The answer is 42." }),
    );
    const agent = createAgent({ settings: settings(llm), dataDir: fx.dataDir, secrets: [], runner, commandTimeoutMs: 60_000, detectCommands: resolveTestCommands });
    const outcome = await agent.execute({
      task: { id: "t-int", owner: "acme", repo: "widget", issueNumber: 5, instruction: "fix the answer", issueTitle: "Wrong answer", usage: null } as Task,
      plan: { summary: "Fix the answer", steps: [], risks: [], verification: "sh check.sh" },
      thread: { title: "Wrong answer", body: "", comments: [] },
      config,
      workdir: ws.dir,
      home: ws.homeDir,
      changes: ws.changes,
      feedback: null,
      progress: { activity: () => undefined, usage: () => undefined },
      signal: new AbortController().signal,
    });
    assert.ok(!isPaused(outcome));
    // The first test run failed on the answer alone (the marker was there), the second passed.
    const failed = JSON.stringify(llm.requests[2]?.body.messages.at(-1));
    assert.match(failed, /FAIL: answer is wrong/);
    assert.doesNotMatch(failed, /no setup marker|no env/);
    assert.match(JSON.stringify(llm.requests[1]?.body.messages.at(-1)), /installed-via-env/, "the run tool saw what setup put in HOME, and setup had jules.yml's env");
    assert.equal(outcome.tests.passed, true, outcome.tests.summary);
    assert.equal(await readFile(join(ws.homeDir, ".cache/deps/from-run"), "utf8"), "seen-by-run\n");

    await ws.createBranch("Fix the answer", 5);
    const { sha } = await ws.commit({ subject: "Fix the answer", body: "The test expects 42.", bot: { slug: "openjules", userId: 1 } });
    assert.ok(sha);
    assert.ok((await ws.diff()).files.map((f) => f.path).includes("src/index.js"));
    assert.ok(!(await ws.diff()).files.some((f) => f.path.startsWith(".cache")), "HOME is never committed");
    assert.ok(!(await ws.diff()).files.some((f) => f.path === "build.log"), "a command the agent did not keep is not committed");
    assert.equal(await readFile(join(ws.dir, "src/index.js"), "utf8"), "export const answer = 42;\n");
  });

  it("repository code cannot reach the mirror, its config or the token", async () => {
    const mirror = mirrorPath(fx.dataDir, fx.request("x"));
    const script = `ls ${fx.dataDir} 2>&1; cat ${mirror}/config 2>&1; echo x >> ${mirror}/config 2>&1; cat /workspace/.git; git -C /workspace config --list 2>&1; env`;
    const result = await runner.run(script, { cwd: ws.dir, timeoutMs: 60_000, home: ws.homeDir });
    assert.match(result.output, /No such file or directory/);
    assert.doesNotMatch(result.output, /remote "origin"|remote\.origin/);
    assert.ok(!result.output.includes(TOKEN));
    assert.equal(await gitOut(mirror, "config", "remote.origin.url"), fx.url);
    assert.deepEqual(await filesContaining(fx.dataDir, TOKEN), []);
  });
});
