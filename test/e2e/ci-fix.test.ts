import { afterAll, beforeAll, describe, it } from "vitest";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import nock from "nock";
import { createAgentFromSettings } from "../../src/agent/from-settings.ts";
import { deliver } from "../../src/delivery/deliver.ts";
import { pullRequestTitle } from "../../src/render/pull-request.ts";
import { createSandboxRunner, resolveTestCommands } from "../../src/sandbox/index.ts";
import { branchName } from "../../src/workspace/branch.ts";
import { createWorkspaces } from "../../src/workspace/from-settings.ts";
import { checkRunCompleted, checkSuiteCompleted } from "../helpers/ci-payloads.ts";
import { call, type Step } from "../helpers/fake-llm/script.ts";
import { startFakeLlm, type FakeLlm } from "../helpers/fake-llm/server.ts";
import { startGitServer, type GitServer } from "../helpers/git-server.ts";
import { actionsLog, mockAnnotations, mockCheckRuns, mockJobLog } from "../helpers/github-checks.ts";
import { example, GitHubMock, INSTALLATION_TOKEN, pullBody, user } from "../helpers/github-mock.ts";
import { servedComment } from "../helpers/served-comment.ts";
import { deliver as sendDelivery } from "../helpers/signed-delivery.ts";
import { startTestApp, WEBHOOK_SECRET, type TestApp } from "../helpers/test-app.ts";

/**
 * A pull request whose CI fails gets its fix pushed, end to end: signed
 * deliveries to the real server, GitHub's REST API mocked (every request and
 * answer checked against its OpenAPI description; the pull request's head and
 * commits read from the real git remote), the real agent with the OpenAI SDK
 * against a scripted model, the real bubblewrap sandbox, the real delivery.
 * The first task leaves the value wrong (its tests fail: a draft pull
 * request); GitHub Actions reports the failing test; `ci_fix: auto` starts a
 * follow-up whose model sees what failed (as delimited data), fixes it, and
 * the repository's tests pass in the sandbox before the fix is pushed.
 */
const run = promisify(execFile);
const OPENAI_KEY = ["sk", "test", "e2e0123456789abcdef0123456789"].join("-");
const TEST_SH =
  '#!/bin/sh\nvalue=$(cat src/value.txt)\nif [ "$value" = "42" ]; then echo "1 passed, 0 failed"; else echo "not ok 1 - value: expected 42, got $value"; echo "0 passed, 1 failed"; exit 1; fi\n';
const CONFIG = "test: sh test.sh\nci_fix: auto\n";
const INSTRUCTION = "make the value 42";
const plan = {
  summary: "Set the value so the test passes.",
  steps: [{ title: "Write the value into src/value.txt", files: ["src/value.txt"] }],
  risks: [],
  verification: "sh test.sh",
};

describe("a pull request whose CI fails gets a fix pushed", { timeout: 300_000 }, () => {
  let llm: FakeLlm;
  let git: GitServer;
  let app: TestApp;
  let dataDir: string;
  let cloneUrl: string;

  beforeAll(async () => {
    llm = await startFakeLlm();
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
    cloneUrl = await git.createRepo("Codertocat", "Hello-World", [{ files: { "README.md": "# Hello\n", "src/value.txt": "41\n", "test.sh": TEST_SH }, message: "initial" }]);
    dataDir = await mkdtemp(join(tmpdir(), "jules-e2e-ci-fix-"));
    await chmod(dataDir, 0o711); // the sandbox user must be able to reach the worktrees (README: running as root)
    const workspaces = createWorkspaces({ dataDir }, { cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, sparesPerRepo: 0 });
    const runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 2 * 1024 ** 3, processes: 256 } });
    app = await startTestApp({
      server: true,
      dataDir,
      workspaces,
      deliver,
      env: { JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4o", OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: llm.openaiBaseUrl },
      // No fix rounds: the first task's failing test goes to a draft pull request as it is.
      agentFactory: (settings) => createAgentFromSettings(settings, { runner, commandTimeoutMs: 60_000, detectCommands: resolveTestCommands, fixRounds: 0 }),
    });
  });

  afterAll(async () => {
    await app?.close();
    await llm?.close();
    await git?.close();
    GitHubMock.reset();
    await rm(dataDir, { recursive: true, force: true });
  });

  const bare = () => git.repoPath("Codertocat", "Hello-World");
  const headOf = (branch: string) => execFileSync("git", ["--git-dir", bare(), "rev-parse", `refs/heads/${branch}`], { encoding: "utf8" }).trim();
  const send = async (name: string, payload: unknown) => assert.equal((await sendDelivery(app.webhookUrl!, { name, payload, secret: WEBHOOK_SECRET })).status, 200);

  /** GET .../pulls/12 and .../pulls/12/commits answered from the git remote as it is when asked. */
  function pullFromGit(gh: GitHubMock, branch: string, times: number) {
    const path = `${gh.repoPath}/pulls/12`;
    gh.scope
      .get(path)
      .times(times)
      .reply(200, () => gh.reply(200, "GET", path, pullBody(gh.owner, gh.repo, { number: 12, head: branch, headSha: headOf(branch), base: "main", draft: true }, "pull-request")));
  }
  function commitsFromGit(gh: GitHubMock, branch: string) {
    const path = `${gh.repoPath}/pulls/12/commits`;
    const template = example<Record<string, any>[]>("commit-items")[0]!;
    gh.scope
      .get(path)
      .query(true)
      .reply(200, () => {
        const lines = execFileSync("git", ["--git-dir", bare(), "log", "--reverse", "--format=%H %an %cn", `main..refs/heads/${branch}`], { encoding: "utf8" })
          .trim()
          .split("\n");
        const body = lines.map((line) => {
          const [sha, author, committer] = line.split(" ") as [string, string, string];
          return {
            ...template,
            sha,
            author: user(author),
            committer: user(committer),
            commit: { ...template.commit, author: { ...template.commit.author, name: author }, committer: { ...template.commit.committer, name: committer } },
          };
        });
        return gh.reply(200, "GET", path, body);
      });
  }

  it("reads the failing test from the checks, fixes it in the sandbox and pushes the fix to the pull request's branch", async () => {
    // 1. The task: planned, approved, and executed with a wrong value; its test fails, so the pull request is a draft.
    llm.push(call("read_file", { path: "src/value.txt" }), call("submit_plan", plan));
    const title = pullRequestTitle({ instruction: INSTRUCTION, issueTitle: "Spelling error in the README file", issueNumber: 1 });
    const branch = branchName(1, title);
    const gh = new GitHubMock();
    gh.token().config(CONFIG, 4).role("Codertocat", "admin", 2).issue(1, {}, 3).threadComments(1).comments(1, { times: 2 }).anyEdits().identity();
    gh.userLookup("Codertocat", 583231).openPulls(branch, null).createPull({ number: 12, head: branch, draft: true }).reviewRequest(12).checkRun();
    await send("issue_comment", servedComment(gh, `/jules ${INSTRUCTION}`, cloneUrl));
    await app.settle();
    const wrong: Step[] = [call("edit_file", { path: "src/value.txt", old_string: "41", new_string: "40" }), call("finish", { summary: "src/value.txt now holds the value." })];
    llm.push(...wrong);
    await send("issue_comment", servedComment(gh, "/approve", cloneUrl));
    await app.settle();
    const origin = await app.store.findByPullRequest("Codertocat", "Hello-World", 12);
    assert.equal(origin?.state, "done", JSON.stringify(origin?.failure));
    assert.equal(gh.bodies<{ conclusion: string }>("POST", /\/check-runs$/)[0]?.conclusion, "failure", "its own test check failed");
    gh.assertClean();
    const failingHead = headOf(branch);

    // 2. GitHub Actions' job fails on that head; the follow-up reads what failed and fixes it.
    const fix: Step[] = [
      call("read_file", { path: "test.sh" }),
      call("edit_file", { path: "src/value.txt", old_string: "40", new_string: "42" }),
      call("run", { command: "sh test.sh" }),
      call("finish", { summary: "src/value.txt holds 42, which the failing test expects." }),
    ];
    llm.push(...fix);
    const requestsBefore = llm.requests.length;
    const failing = {
      id: 777001,
      name: "unit tests",
      headSha: failingHead,
      conclusion: "failure" as const,
      title: "1 failing test",
      summary: "not ok 1 - value: expected 42, got 40",
      annotations: 1,
    };
    gh.config(CONFIG, 2);
    pullFromGit(gh, branch, 3);
    mockCheckRuns(gh, failingHead, [failing, { id: 777002, name: "OpenJules tests", headSha: failingHead, conclusion: "failure", app: { id: 1, slug: "openjules" } }]);
    mockCheckRuns(gh, "main", [{ id: 666001, name: "unit tests", headSha: "f".repeat(40), conclusion: "success" }]);
    commitsFromGit(gh, branch);
    mockAnnotations(gh, 777001, [{ path: "test.sh", line: 2, message: "value: expected 42, got 40" }]);
    mockJobLog(gh, 777001, actionsLog(["$ sh test.sh", "\u001b[31mnot ok 1 - value: expected 42, got 40\u001b[0m", "0 passed, 1 failed"]));
    gh.issue(12).threadComments(12).comments(12, { times: 2 }).userLookup("Codertocat", 583231).reviewRequest(12).checkRun(5);
    await send("check_run", checkRunCompleted({ headSha: failingHead, branch, pullNumber: 12, conclusion: "failure", checkRunId: 777001 }));
    await app.settle();

    const followUp = await app.store.findLatest("Codertocat", "Hello-World", 12);
    assert.equal(followUp?.kind, "follow_up");
    assert.equal(followUp?.state, "done", JSON.stringify(followUp?.failure));
    assert.equal(followUp?.planContext?.ci?.automatic, true);
    const fixedHead = headOf(branch);
    assert.notEqual(fixedHead, failingHead, "the fix was pushed to the pull request's branch");
    const [, check] = gh.bodies<{ conclusion: string; head_sha: string }>("POST", /\/check-runs$/);
    assert.deepEqual([check?.conclusion, check?.head_sha], ["success", fixedHead], "the repository's tests passed in the sandbox");
    assert.equal(gh.bodies("POST", /\/pulls$/).length, 1, "no second pull request");

    // What the model was shown: the failing test, inside the untrusted-data delimiters, outside the plan.
    const first = JSON.stringify(llm.requests[requestsBefore]?.body.messages ?? []);
    const delimited = /<(untrusted-feedback-[^>\s]+)>\n(.*?)\n<\/\1>/s.exec(
      JSON.parse(first)
        .map((m: { content: unknown }) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)))
        .join("\n"),
    );
    assert.ok(delimited, "the feedback is delimited as untrusted data");
    for (const seen of [/## unit tests \(github-actions: failure\)/, /test\.sh:2 \(failure\): value: expected 42, got 40/, /not ok 1 - value: expected 42, got 40/])
      assert.match(delimited[2]!, seen);
    assert.doesNotMatch(delimited[2]!, /\\u001b|\u001b/, "terminal escapes removed from the log");

    // The branch as pushed: the value fixed, its test passing when we run it ourselves.
    const clone = await mkdtemp(join(tmpdir(), "jules-e2e-ci-clone-"));
    try {
      const auth = `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64")}`;
      await run("git", ["-c", auth, "clone", "--quiet", "--branch", branch, cloneUrl, clone]);
      assert.equal(await readFile(join(clone, "src/value.txt"), "utf8"), "42\n");
      assert.match((await run("sh", ["test.sh"], { cwd: clone })).stdout, /1 passed, 0 failed/);
      const { stdout: authors } = await run("git", ["log", "--format=%an", "origin/main..HEAD"], { cwd: clone });
      assert.deepEqual(authors.trim().split("\n"), ["openjules[bot]", "openjules[bot]"], "the task's commit and the fix, both OpenJules's");
    } finally {
      await rm(clone, { recursive: true, force: true });
    }
    const ci = gh.posted().find((b) => b.startsWith("<!-- openjules:ci-fix -->"));
    assert.match(ci ?? "", /Fix attempt 1 of 2 \(automatic\)/);
    assert.match(
      gh
        .edited()
        .filter((b) => b.startsWith("<!-- openjules:ci-fix -->"))
        .at(-1) ?? "",
      new RegExp(`pushed \`${fixedHead.slice(0, 7)}\`, waiting for the checks`),
    );

    // 3. CI passes on the fix: the attempt's outcome says so.
    gh.config(CONFIG);
    pullFromGit(gh, branch, 1);
    mockCheckRuns(gh, fixedHead, [{ ...failing, id: 778001, headSha: fixedHead, conclusion: "success", annotations: 0 }]);
    await send("check_suite", checkSuiteCompleted({ headSha: fixedHead, branch, pullNumber: 12, conclusion: "success", suiteId: 4242 }));
    await app.settle();
    assert.match(
      gh
        .edited()
        .filter((b) => b.startsWith("<!-- openjules:ci-fix -->"))
        .at(-1) ?? "",
      new RegExp(`✅ checks pass on \`${fixedHead.slice(0, 7)}\``),
    );
    gh.assertClean();
    assert.deepEqual(nock.pendingMocks(), []);
  });
});
