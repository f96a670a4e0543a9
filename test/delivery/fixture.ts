/**
 * What the delivery tests share: a real git repository served over smart
 * HTTP with a real WorkspaceManager (test/helpers/git), a real OpenJules
 * runtime whose GitHub gateway is the production one (Probot's Octokit, the
 * pacer) talking to GitHubMock, a task and an agent outcome, and a way to
 * read what actually landed on the remote (a fresh clone).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecuteOutcome } from "../../src/agent/port.ts";
import { defaultRepoConfig } from "../../src/config/repo-config.ts";
import type { DeliveryInput } from "../../src/delivery/deliver.ts";
import type { GitHubGateway } from "../../src/github/port.ts";
import type { Task } from "../../src/domain/model.ts";
import { git } from "../../src/workspace/git.ts";
import type { Workspace } from "../../src/workspace/port.ts";
import { samplePlan } from "../helpers/agent-double.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { addCommits, branchSha, gitOut } from "../helpers/git/repo.ts";
import { TOKEN, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { makeTask } from "../render/fixtures.ts";

export const BOT = { slug: "openjules", userId: 4242 };
export const REQUESTER_ID = 583231;

export interface LogLine {
  level: "info" | "warn";
  msg: string;
  obj: object;
}

export interface DeliveryFixture {
  git: WorkspaceFixture;
  app: TestApp;
  gh: GitHubGateway;
  task(overrides?: Partial<Task>): Task;
  outcome(tests?: Partial<ExecuteOutcome["tests"]>): ExecuteOutcome;
  /** Delivery input over `workspace`; `recorded` collects the branches recordBranch was given. */
  input(task: Task, workspace: Workspace, overrides?: Partial<DeliveryInput>): DeliveryInput & { recorded: string[]; logs: LogLine[] };
  /** What an earlier run left on the remote: `branch` with one commit on top of main; returns its sha. */
  pushEarlier(branch: string): Promise<string>;
  /** Branch names on the remote. */
  remoteBranches(): Promise<string[]>;
  /** Clones `branch` from the git server and reads `path` in it. */
  readFromClone(branch: string, path: string): Promise<string>;
  close(): Promise<void>;
}

export async function deliveryFixture(): Promise<DeliveryFixture> {
  const gitFx = await workspaceFixture();
  const app = await startTestApp({ startWorker: false });
  // The installation token is fetched on the first request and then cached: fetch it here, once.
  const mock = new GitHubMock(gitFx.owner, gitFx.repo).token().userLookup("octocat", 1);
  const gh = await app.deps.github.forInstallation(2);
  await gh.user("octocat");
  mock.assertClean();
  GitHubMock.reset();
  let tasks = 0;
  const outcome = (tests: Partial<ExecuteOutcome["tests"]> = {}): ExecuteOutcome => ({
    summary: "The answer is now the constant 42, so it no longer depends on arithmetic at load time.",
    tests: { command: "npm test", passed: true, summary: "# tests 3\n# pass 3", ...tests },
    usage: { inputTokens: 1200, outputTokens: 300, calls: 2, wallMs: 65_000, costUsd: 0.0123 },
  });
  return {
    git: gitFx,
    app,
    gh,
    task: (overrides = {}) =>
      makeTask({
        id: `t-deliver-${++tasks}`,
        owner: gitFx.owner,
        repo: gitFx.repo,
        issueNumber: 1,
        cloneUrl: gitFx.url,
        instruction: "make the answer a constant",
        requestedBy: "Codertocat",
        baseBranch: "main",
        state: "testing",
        plan: samplePlan("Make the answer a constant"),
        approvedBy: "Codertocat",
        ...overrides,
      }),
    outcome,
    input(task, workspace, overrides = {}) {
      const recorded: string[] = [];
      const logs: LogLine[] = [];
      const log = (level: LogLine["level"]) => (obj: object, msg: string) => void logs.push({ level, msg, obj });
      return {
        task,
        plan: task.plan ?? samplePlan(),
        outcome: outcome(),
        usage: outcome().usage,
        config: defaultRepoConfig(),
        workspace,
        gh,
        bot: BOT,
        secrets: [],
        webBase: "https://github.com",
        log: { info: log("info"), warn: log("warn") },
        recordBranch: async (branch: string) => void recorded.push(branch),
        ...overrides,
        recorded,
        logs,
      };
    },
    async pushEarlier(branch) {
      const bare = gitFx.server.repoPath(gitFx.owner, gitFx.repo);
      await gitOut(bare, "branch", branch, "main");
      await addCommits(bare, [{ branch, files: { "src/index.js": "export const answer = 42;\n" }, message: "Make the answer a constant\n\nAn earlier run." }]);
      return branchSha(bare, branch);
    },
    async remoteBranches() {
      const out = await gitOut(gitFx.server.repoPath(gitFx.owner, gitFx.repo), "for-each-ref", "--format=%(refname:strip=2)", "refs/heads");
      return out.split("\n").filter(Boolean).sort();
    },
    async readFromClone(branch, path) {
      const dir = await mkdtemp(join(tmpdir(), "openjules-clone-"));
      try {
        await git(["clone", "--quiet", "--branch", branch, gitFx.url, join(dir, "c")], { cwd: dir, auth: { remoteUrl: gitFx.url, token: async () => TOKEN } });
        return await readFile(join(dir, "c", path), "utf8");
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async close() {
      GitHubMock.reset();
      await app.close();
      await gitFx.cleanup();
    },
  };
}
