import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { defaultRepoConfig, type RepoConfig } from "../../src/config/repo-config.ts";
import { deliver } from "../../src/delivery/deliver.ts";
import { FAKE } from "../helpers/fake-secrets.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { addCommits, branchSha } from "../helpers/git/repo.ts";
import { deliveryFixture, REQUESTER_ID, type DeliveryFixture } from "./fixture.ts";
import { agentWrote } from "../helpers/git/agent-wrote.ts";

/** What delivery refuses, or does differently, before anything reaches GitHub: no changes, denied paths, secrets, failing tests. */
describe("deliver: refusals and failing tests", { timeout: 180_000 }, () => {
  let fx: DeliveryFixture;
  beforeAll(async () => {
    fx = await deliveryFixture();
  });
  afterAll(() => fx?.close());
  afterEach(() => GitHubMock.reset());

  const remote = () => fx.git.server.repoPath(fx.git.owner, fx.git.repo);
  const mock = () => new GitHubMock(fx.git.owner, fx.git.repo);
  const config = (patch: Partial<RepoConfig>): RepoConfig => ({ ...defaultRepoConfig(), ...patch });
  const pushedFor = async (issue: number) => (await fx.remoteBranches()).filter((b) => b.startsWith(`jules/${issue}-`));

  /** Prepares a workspace for a task of `issue`, lets `edit` change it, delivers, and disposes. */
  async function run(issue: number, edit: (dir: string) => Promise<void>, extra: Parameters<DeliveryFixture["input"]>[2] = {}) {
    const task = fx.task({ issueNumber: issue, instruction: `change number ${issue}` });
    const ws = await fx.git.manager.prepare(fx.git.request(task.id));
    try {
      await edit(ws.dir);
      await agentWrote(ws);
      const input = fx.input(task, ws, extra);
      return { result: await deliver(input), input, branch: `jules/${issue}-change-number-${issue}` };
    } finally {
      await ws.dispose();
    }
  }

  it("reports no changes when the agent changed nothing, and pushes nothing", async () => {
    const gh = mock().userLookup("Codertocat", REQUESTER_ID);
    const { result, input } = await run(20, async () => {});
    assert.deepEqual(result, { kind: "no_changes" });
    assert.deepEqual(await pushedFor(20), [], "nothing pushed");
    assert.deepEqual(input.recorded, []);
    gh.assertClean();
  });

  it("blocks a change under a denied path, naming it, and pushes nothing", async () => {
    const gh = mock().userLookup("Codertocat", REQUESTER_ID);
    const { result } = await run(21, async (dir) => {
      await mkdir(join(dir, ".github/workflows"), { recursive: true });
      await writeFile(join(dir, ".github/workflows/x.yml"), "on: push\n");
      await writeFile(join(dir, "src/index.js"), "export const answer = 42;\n");
    });
    assert.equal(result.kind, "blocked");
    assert.match(result.kind === "blocked" ? result.reason : "", /`\.github\/workflows\/x\.yml` \(matches `\.github\/workflows\/\*\*`\)/);
    assert.match(result.kind === "blocked" ? result.hint : "", /deny_paths/);
    assert.doesNotMatch(result.kind === "blocked" ? result.reason : "", /src\/index\.js/);
    assert.deepEqual(await pushedFor(21), [], "nothing pushed");
    gh.assertClean();
  });

  it("blocks a secret in the diff, saying where and which rule, never the secret itself", async () => {
    const gh = mock().userLookup("Codertocat", REQUESTER_ID);
    const canary = `canary-${"x".repeat(4)}-value-${FAKE.npm.slice(-8)}`;
    const { result } = await run(
      22,
      async (dir) => {
        await writeFile(join(dir, "src/config.js"), `export const a = 1;\nexport const token = "${FAKE.githubClassic}";\n`);
        await writeFile(join(dir, "docs/guide.md"), `Read me. ${canary}\n`);
      },
      { secrets: [canary] },
    );
    assert.equal(result.kind, "blocked");
    const text = result.kind === "blocked" ? `${result.reason} ${result.hint}` : "";
    assert.match(text, /`src\/config\.js` line 2: github-token/);
    assert.match(text, /`docs\/guide\.md` line 1: configured-secret/);
    assert.equal(text.includes(FAKE.githubClassic), false);
    assert.equal(text.includes(canary), false);
    assert.deepEqual(await pushedFor(22), [], "nothing pushed");
    gh.assertClean();
  });

  it("blocks a secret in a file git treats as binary (its diff has no text to scan)", async () => {
    const gh = mock().userLookup("Codertocat", REQUESTER_ID);
    const { result } = await run(28, async (dir) => {
      await mkdir(join(dir, "assets"), { recursive: true });
      await writeFile(join(dir, "assets/blob.bin"), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`\n${FAKE.githubServer}\n`)]));
    });
    assert.equal(result.kind, "blocked");
    const reason = result.kind === "blocked" ? result.reason : "";
    assert.match(reason, /`assets\/blob\.bin` \(binary\) line 2: github-token/);
    assert.equal(reason.includes(FAKE.githubServer), false);
    assert.deepEqual(await pushedFor(28), [], "nothing pushed");
    gh.assertClean();
  });

  it("blocks a secret hidden by working-tree-encoding: the worktree holds UTF-16, the pushed blob plain UTF-8", async () => {
    const gh = mock().userLookup("Codertocat", REQUESTER_ID);
    const { result } = await run(30, async (dir) => {
      await writeFile(join(dir, ".gitattributes"), "w.txt working-tree-encoding=UTF-16LE -diff\n");
      await writeFile(join(dir, "w.txt"), Buffer.from(`token = ${FAKE.githubClassic}\n`, "utf16le"));
    });
    assert.equal(result.kind, "blocked", "a token git converts to UTF-8 on commit must not be pushed");
    const reason = result.kind === "blocked" ? result.reason : "";
    assert.match(reason, /`w\.txt` line 1: github-token/);
    assert.equal(reason.includes(FAKE.githubClassic), false);
    assert.deepEqual(await pushedFor(30), [], "nothing pushed");
    gh.assertClean();
  });

  it("blocks a secret in a UTF-16 text file committed as it is (BOM, or NUL bytes between ASCII letters)", async () => {
    const gh = mock().userLookup("Codertocat", REQUESTER_ID);
    const { result } = await run(31, async (dir) => {
      await writeFile(join(dir, "bom.txt"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`a = 1\nkey = ${FAKE.anthropic}\n`, "utf16le")]));
      await writeFile(join(dir, "be.txt"), Buffer.from(`npm = ${FAKE.npm}\n`, "utf16le").swap16());
    });
    assert.equal(result.kind, "blocked");
    const reason = result.kind === "blocked" ? result.reason : "";
    assert.match(reason, /`bom\.txt` \(UTF-16LE\) line 2: anthropic-key/);
    assert.match(reason, /`be\.txt` \(UTF-16BE\) line 1: npm-token/);
    assert.equal(reason.includes(FAKE.anthropic) || reason.includes(FAKE.npm), false);
    assert.deepEqual(await pushedFor(31), [], "nothing pushed");
    gh.assertClean();
  });

  it("does not block a secret-shaped value the file already had on the base branch (only what the change adds)", async () => {
    const bare = remote();
    await addCommits(bare, [{ branch: "main", files: { "test/fixture.txt": `old = ${FAKE.awsAccessKeyId}\n` }, message: "a fixture" }]);
    const branch = "jules/32-change-number-32";
    const gh = mock().userLookup("Codertocat", REQUESTER_ID).openPulls(branch, null).createPull({ number: 32, head: branch }).reviewRequest(32).checkRun();
    try {
      const { result } = await run(32, (dir) => writeFile(join(dir, "test/fixture.txt"), `old = ${FAKE.awsAccessKeyId}\nnew = 2\n`));
      assert.equal(result.kind, "pull_request");
      gh.assertClean();
    } finally {
      await addCommits(bare, [{ branch: "main", files: { "test/fixture.txt": null }, message: "drop the fixture" }]);
    }
  });

  it("blocks a secret that the request itself carried into the commit message and the title", async () => {
    const gh = mock().userLookup("Codertocat", REQUESTER_ID);
    const task = fx.task({ issueNumber: 29, instruction: `use ${FAKE.githubUser} for the API` });
    const ws = await fx.git.manager.prepare(fx.git.request(task.id));
    try {
      await writeFile(join(ws.dir, "src/index.js"), "export const answer = 42;\n");
      await agentWrote(ws);
      const result = await deliver(fx.input(task, ws));
      const reason = result.kind === "blocked" ? result.reason : "";
      assert.match(reason, /commit message 1, line 1: github-token/);
      assert.match(reason, /the pull request title, line 1: github-token/);
      assert.equal(reason.includes(FAKE.githubUser), false);
      assert.deepEqual(await pushedFor(29), [], "nothing pushed");
      gh.assertClean();
    } finally {
      await ws.dispose();
    }
  });

  it("blocks a secret that would only reach GitHub in the pull request body (the test output)", async () => {
    const gh = mock().userLookup("Codertocat", REQUESTER_ID);
    const outcome = fx.outcome({ summary: `env dump: OPENAI_API_KEY=${FAKE.openaiProject}` });
    const { result } = await run(23, (dir) => writeFile(join(dir, "src/index.js"), "export const answer = 42;\n"), { outcome });
    assert.equal(result.kind, "blocked");
    const reason = result.kind === "blocked" ? result.reason : "";
    assert.match(reason, /the pull request description, line \d+: openai-key/);
    assert.equal(reason.includes(FAKE.openaiProject), false);
    assert.deepEqual(await pushedFor(23), [], "nothing pushed");
    gh.assertClean();
  });

  it("with failing tests and on_test_failure: abort, pushes nothing", async () => {
    const gh = mock().userLookup("Codertocat", REQUESTER_ID);
    const { result, input } = await run(24, (dir) => writeFile(join(dir, "src/index.js"), "broken(\n"), {
      outcome: fx.outcome({ passed: false, summary: "SyntaxError: Unexpected end of input" }),
      config: config({ on_test_failure: "abort" }),
    });
    assert.deepEqual(result, { kind: "aborted_tests_failed", reason: "The tests (`npm test`) failed and `on_test_failure: abort` is set, so nothing was pushed." });
    assert.deepEqual(await pushedFor(24), [], "nothing pushed");
    assert.deepEqual(input.recorded, []);
    gh.assertClean();
  });

  it("with failing tests and on_test_failure: branch_only, pushes the branch with a failing check and opens no pull request", async () => {
    const gh = mock().userLookup("Codertocat", REQUESTER_ID).checkRun();
    const { result, input, branch } = await run(25, (dir) => writeFile(join(dir, "src/index.js"), "broken(\n"), {
      outcome: fx.outcome({ passed: false, summary: "SyntaxError: Unexpected end of input" }),
      config: config({ on_test_failure: "branch_only" }),
    });
    assert.deepEqual(result, { kind: "branch_only", branch, url: `https://github.com/acme/widget/tree/jules/25-change-number-25` });
    assert.deepEqual(input.recorded, [branch]);
    assert.equal(await fx.readFromClone(branch, "src/index.js"), "broken(\n");
    const [check] = gh.bodies<Record<string, any>>("POST", /\/check-runs$/);
    assert.equal(check!.conclusion, "failure");
    assert.equal(check!.head_sha, await branchSha(remote(), branch));
    assert.match(check!.output.text, /SyntaxError: Unexpected end of input/);
    assert.deepEqual(gh.bodies("POST", /\/pulls$/), []);
    gh.assertClean();
  });

  it("with failing tests and on_test_failure: draft_pr, opens a draft marked as failing even when drafts are off", async () => {
    const branch = "jules/26-change-number-26";
    const gh = mock().userLookup("Codertocat", REQUESTER_ID).openPulls(branch, null).createPull({ number: 26, head: branch, draft: true }).reviewRequest(26).checkRun();
    const { result } = await run(26, (dir) => writeFile(join(dir, "src/index.js"), "broken(\n"), {
      outcome: fx.outcome({ passed: false, summary: "SyntaxError: Unexpected end of input" }),
      config: config({ on_test_failure: "draft_pr", draft: false }),
    });
    assert.deepEqual(result, {
      kind: "pull_request",
      number: 26,
      url: "https://github.com/acme/widget/pull/26",
      branch,
      draft: true,
      testsPassed: false,
      created: true,
      headSha: await branchSha(remote(), branch),
    });
    const [pr] = gh.bodies<{ draft: boolean; body: string }>("POST", /\/pulls$/);
    assert.equal(pr!.draft, true);
    assert.match(pr!.body, /\[!WARNING\]\n> \*\*The tests fail on this branch\.\*\*/);
    assert.match(pr!.body, /❌ `npm test` failed\.[\s\S]*<details open>[\s\S]*SyntaxError: Unexpected end of input/);
    assert.equal(gh.bodies<Record<string, string>>("POST", /\/check-runs$/)[0]!.conclusion, "failure");
    gh.assertClean();
  });

  it("opens a ready pull request when drafts are off and tests pass, and a neutral check when there is no test command", async () => {
    const branch = "jules/27-change-number-27";
    const gh = mock().userLookup("Codertocat", REQUESTER_ID).openPulls(branch, null).createPull({ number: 27, head: branch, draft: false }).reviewRequest(27).checkRun();
    const { result } = await run(27, (dir) => writeFile(join(dir, "README.md"), "# Widget\n\nNow documented.\n"), {
      outcome: fx.outcome({ command: null, passed: null, summary: "" }),
      config: config({ draft: false }),
    });
    assert.equal(result.kind === "pull_request" && result.draft, false);
    assert.equal(gh.bodies<{ draft: boolean }>("POST", /\/pulls$/)[0]!.draft, false);
    assert.equal(gh.bodies<Record<string, string>>("POST", /\/check-runs$/)[0]!.conclusion, "neutral");
    gh.assertClean();
  });
});
