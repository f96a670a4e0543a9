import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "vitest";
import { AgentError } from "../../src/agent/port.ts";
import { redactRequest } from "../../src/github/outbound-scan.ts";
import { AgentDouble, samplePlan } from "../helpers/agent-double.ts";
import { FAKE } from "../helpers/fake-secrets.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { issueComment } from "../helpers/payloads.ts";
import { startTestApp, WEBHOOK_SECRET, type TestApp } from "../helpers/test-app.ts";

/**
 * Every text OpenJules posts to GitHub goes through the outbound secret scan:
 * a secret in a plan, an answer, the status comment's activity or failure
 * line is replaced by a marker and the rest is posted. Through the real
 * Probot app; what reached GitHub is read from the mocked requests.
 */
describe("outbound secret scan of every text posted to GitHub", () => {
  let app: TestApp;
  let agent: AgentDouble;
  beforeEach(async () => {
    agent = new AgentDouble();
    app = await startTestApp({ agent, env: { OPENAI_API_KEY: FAKE.openaiLegacy, JULES_API_TOKEN: "api-token-for-the-task-api-0123" } });
  });
  afterEach(async () => {
    await app.close();
    GitHubMock.reset();
  });

  /** One line of the App's private key: a partial key is still a leak, and no pattern knows it without the whole block. */
  const keyLine = () =>
    testPrivateKey()
      .split("\n")
      .find((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l)) ?? "";
  const secretValues = () => [FAKE.githubClassic, FAKE.anthropic, FAKE.openaiLegacy, WEBHOOK_SECRET, "api-token-for-the-task-api-0123", keyLine()];

  function leaked(texts: readonly string[]): string[] {
    return secretValues().filter((secret) => texts.some((t) => t.includes(secret)));
  }

  async function start(gh: GitHubMock) {
    const c = issueComment({ body: "/jules fix the crash when the config file is empty" });
    gh.reaction(c.comment.id);
    await app.receive("issue_comment", c);
    await app.settle();
  }

  it("redacts secrets in the plan comment and the status comment's activity line, posting the rest", async () => {
    const plan = samplePlan(`Rotate ${FAKE.githubClassic} and the hook secret ${WEBHOOK_SECRET}`);
    plan.steps[0]!.detail = `The key line ${keyLine()} and ${FAKE.openaiLegacy} must go; the API token is api-token-for-the-task-api-0123.`;
    agent.plans.push(async (req) => {
      req.progress.activity(`ran cat .env: ANTHROPIC_API_KEY=${FAKE.anthropic}`);
      await new Promise((r) => setTimeout(r, 50));
      return { kind: "plan", plan, usage: { inputTokens: 1, outputTokens: 1, calls: 1, wallMs: 1, costUsd: 0 } };
    });
    const gh = new GitHubMock().token().config(null, 2).role("Codertocat", "admin").issue(1, {}, 2).threadComments(1).comments(1, { times: 2 }).anyEdits();
    await start(gh);
    const texts = [...gh.posted(), ...gh.edited()];
    assert.deepEqual(leaked(texts), [], "no secret reached GitHub");
    const planComment = gh.posted().find((b) => b.includes("openjules:plan")) ?? "";
    assert.match(planComment, /Rotate \[REDACTED:github-token\] and the hook secret \[REDACTED:configured-secret\]/);
    assert.match(planComment, /Treat an empty file as an empty config/, "the rest of the plan is posted");
    assert.ok(
      texts.some((t) => /ran cat \.env: ANTHROPIC_API_KEY=\[REDACTED:anthropic-key\]/.test(t)),
      "the activity line is posted, redacted",
    );
    const task = await app.store.findActive("Codertocat", "Hello-World", 1);
    assert.equal(task?.state, "awaiting_approval", "a redaction does not fail the task");
    gh.assertClean();
  });

  it("redacts secrets in an answer comment", async () => {
    agent.plans.push({
      kind: "answer",
      answer: `The token in the logs was ${FAKE.githubClassic}; the webhook secret is ${WEBHOOK_SECRET}.`,
      usage: { inputTokens: 1, outputTokens: 1, calls: 1, wallMs: 1, costUsd: 0 },
    });
    const gh = new GitHubMock().token().config(null, 2).role("Codertocat", "admin").issue(1, {}, 2).threadComments(1).comments(1, { times: 2 }).anyEdits();
    await start(gh);
    const texts = [...gh.posted(), ...gh.edited()];
    assert.deepEqual(leaked(texts), []);
    assert.ok(gh.posted().some((b) => b.includes("The token in the logs was [REDACTED:github-token]; the webhook secret is [REDACTED:configured-secret].")));
    gh.assertClean();
  });

  it("redacts secrets in the status comment's failure line", async () => {
    agent.plans.push(new AgentError(`The model refused: it saw ${FAKE.anthropic} in the output`, `Remove ${FAKE.githubClassic} from the repository.`));
    const gh = new GitHubMock().token().config(null, 2).role("Codertocat", "admin").issue(1, {}, 2).threadComments(1).comments(1, { times: 1 }).anyEdits();
    await start(gh);
    const texts = [...gh.posted(), ...gh.edited()];
    assert.deepEqual(leaked(texts), []);
    const last = gh.edited().at(-1) ?? "";
    assert.match(last, /The model refused: it saw \[REDACTED:anthropic-key\] in the output/);
    assert.match(last, /Remove \[REDACTED:github-token\] from the repository/);
    gh.assertClean();
  });
});

describe("redactRequest: what a request to GitHub carries", () => {
  it("redacts every parameter, nested ones (check run output) and lists (labels) included, and leaves path parameters and Octokit's options alone", () => {
    const request: Record<string, unknown> = {
      method: "POST",
      url: "/repos/{owner}/{repo}/check-runs",
      headers: { authorization: `token ${FAKE.installationToken}` },
      owner: "acme",
      repo: "widget",
      name: "OpenJules tests",
      output: { title: "tests", summary: `saw ${FAKE.npm}`, text: ["a", `b ${FAKE.slackBot}`] },
      labels: [`x-${FAKE.githubClassic}`],
      retries: 3,
    };
    const rules = redactRequest(request, []);
    assert.deepEqual(rules.sort(), ["github-token", "npm-token", "slack-token"]);
    assert.deepEqual(request.output, { title: "tests", summary: "saw [REDACTED:npm-token]", text: ["a", "b [REDACTED:slack-token]"] });
    assert.deepEqual(request.labels, ["x-[REDACTED:github-token]"]);
    assert.equal((request.headers as Record<string, string>).authorization, `token ${FAKE.installationToken}`, "Octokit's own auth header is not a parameter");
    assert.equal(request.owner, "acme");
    assert.equal(request.retries, 3);
  });
});
