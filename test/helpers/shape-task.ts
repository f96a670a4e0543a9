import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import nock from "nock";
import type { Task } from "../../src/domain/model.ts";
import { createAgentFromSettings } from "../../src/agent/from-settings.ts";
import { deliver } from "../../src/delivery/deliver.ts";
import { pullRequestTitle } from "../../src/render/pull-request.ts";
import { createSandboxRunner, resolveTestCommands, type SandboxRunnerOptions } from "../../src/sandbox/index.ts";
import { branchName } from "../../src/workspace/branch.ts";
import { createWorkspaces } from "../../src/workspace/from-settings.ts";
import { call, type Step } from "./fake-llm/script.ts";
import { startFakeLlm, type FakeLlm } from "./fake-llm/server.ts";
import { startGitServer, type GitServer } from "./git-server.ts";
import { GitHubMock, INSTALLATION_TOKEN } from "./github-mock.ts";
import { servedComment } from "./served-comment.ts";
import { startTestApp, type TestApp } from "./test-app.ts";

/**
 * One task on a repository of a real shape, through the real path: webhooks
 * into the app, the real agent against a scripted model, the real bubblewrap
 * sandbox (with the operator's read-only toolchain paths and setup network),
 * real git and the real delivery, GitHub mocked. Returns what a person sees:
 * the task, the status comment, the pull request body, the check run, the
 * branch's files, and what the model was told by its tools.
 */

const run = promisify(execFile);
export const INSTRUCTION = "fix the failing test";

export interface ShapeOutcome {
  task: Task;
  /** The status comment as last edited. */
  status: string;
  /** Every edit of the status comment, in order (activity lines show while the task works). */
  statuses: string[];
  prBody: string;
  check: { conclusion: string; output: { title: string } } | undefined;
  /** The pushed branch's files (git ls-files of a clone). */
  files: string[];
  /** Text of a file on the pushed branch. */
  show(path: string): Promise<string>;
  /** Every tool result the model received, as JSON text. */
  toolResults: string;
}

export interface ShapeApp {
  /** Serves `files` as Codertocat/`repo` and runs one task on it: /jules, the plan, /approve, the agent's `executing` steps. */
  task(repo: string, files: Record<string, string>, config: string, executing: Step[]): Promise<ShapeOutcome>;
  close(): Promise<void>;
}

/** `sandbox`: the runner's read-only toolchain paths and setup network; its allowlisted hosts are real servers the egress proxy (in this process) may reach past nock. */
export async function startShapeApp(sandbox: Pick<SandboxRunnerOptions, "extraReadOnly" | "setupNetwork">): Promise<ShapeApp> {
  const served = sandbox.setupNetwork?.allowHosts ?? [];
  const llm: FakeLlm = await startFakeLlm();
  const git: GitServer = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
  const dataDir = await mkdtemp(join(tmpdir(), "jules-e2e-shape-"));
  await chmod(dataDir, 0o711);
  const workspaces = createWorkspaces({ dataDir }, { cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, sparesPerRepo: 0 });
  const runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 4 * 1024 ** 3, processes: 512 }, ...sandbox });
  const app: TestApp = await startTestApp({
    dataDir,
    workspaces,
    deliver,
    env: { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: "sk-test-repository-shapes", OPENAI_BASE_URL: llm.openaiBaseUrl },
    agentFactory: (settings) => createAgentFromSettings(settings, { runner, commandTimeoutMs: 240_000, detectCommands: resolveTestCommands }),
  });

  async function task(repo: string, files: Record<string, string>, config: string, executing: Step[]): Promise<ShapeOutcome> {
    const cloneUrl = await git.createRepo("Codertocat", repo, [{ files, message: "initial" }]);
    const branch = branchName(1, pullRequestTitle({ instruction: INSTRUCTION, issueTitle: "Spelling error in the README file", issueNumber: 1 }));
    const gh = new GitHubMock("Codertocat", repo);
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost") || served.includes(host));
    gh.token().config(config, 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();
    gh.userLookup("Codertocat", 583231).openPulls(branch, null).createPull({ number: 12, head: branch, draft: true }).reviewRequest(12).checkRun();

    llm.push(call("submit_plan", { summary: "Fix the code the test checks.", steps: [{ title: "Fix it", files: [] }], risks: [], verification: "The repository's tests." }));
    await app.receive("issue_comment", servedComment(gh, `/jules ${INSTRUCTION}`, cloneUrl, repo));
    await app.settle();
    const planned = await app.store.findLatest("Codertocat", repo, 1);
    assert.equal(planned?.state, "awaiting_approval", JSON.stringify(planned?.failure));
    llm.push(...executing);
    await app.receive("issue_comment", servedComment(gh, "/approve", cloneUrl, repo));
    await app.settle();
    const done = (await app.store.get(planned!.id))!;

    const clone = await mkdtemp(join(tmpdir(), "jules-e2e-shape-clone-"));
    try {
      const auth = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64")}`;
      const cloned = await run("git", ["-c", auth, "clone", "--quiet", "--branch", branch, cloneUrl, clone]).then(
        () => true,
        () => false,
      );
      const listed = cloned ? (await run("git", ["ls-files"], { cwd: clone })).stdout : "";
      const shown = new Map<string, string>();
      for (const path of listed.split("\n").filter(Boolean)) shown.set(path, (await run("git", ["show", `HEAD:${path}`], { cwd: clone, maxBuffer: 1 << 24 })).stdout);
      const [pr] = gh.bodies<{ body: string }>("POST", /\/pulls$/);
      const [check] = gh.bodies<{ conclusion: string; output: { title: string } }>("POST", /\/check-runs$/);
      const toolResults = JSON.stringify(llm.requests.map((r) => r.body.messages?.filter((m: { role: string }) => m.role === "tool")));
      return {
        task: done,
        status: gh.edited().at(-1) ?? "",
        statuses: gh.edited(),
        prBody: pr?.body ?? "",
        check,
        files: [...shown.keys()].sort(),
        show: async (path) => shown.get(path) ?? "",
        toolResults,
      };
    } finally {
      await rm(clone, { recursive: true, force: true });
      GitHubMock.reset();
      llm.reset();
    }
  }

  return {
    task,
    async close() {
      await app.close();
      await llm.close();
      await git.close();
      GitHubMock.reset();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
