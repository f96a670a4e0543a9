/**
 * Many processes behave like one: two web processes and two workers
 * (`src/main.ts web|worker`, real operating-system processes) share one
 * PostgreSQL schema and one Redis database, talk to a stateful GitHub
 * stand-in over HTTP (every request checked against GitHub's OpenAPI
 * description), clone from and push to a real git smart-HTTP server, run the
 * repository's tests in bubblewrap, and ask a fake model that answers each
 * request from its content (so the order in which processes call does not
 * matter). A burst of duplicated `/jules` deliveries and concurrent
 * `/approve`s from two writers ends with every task done once, one plan and
 * one pull request per task; a worker SIGKILLed mid-execution has its job
 * taken over by the other worker, still with one pull request.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { Task } from "../../src/domain/model.ts";
import { openPostgresStore } from "../../src/store/postgres/index.ts";
import type { TaskStore } from "../../src/store/port.ts";
import { parsePlanMarker } from "../../src/render/markers.ts";
import { phaseOf, phaseResponder } from "../helpers/fake-llm/by-phase.ts";
import { startFakeLlm, type FakeLlm } from "../helpers/fake-llm/server.ts";
import { gitOut } from "../helpers/git/repo.ts";
import { startGitServer, type GitServer } from "../helpers/git-server.ts";
import { INSTALLATION_TOKEN } from "../helpers/github-mock.ts";
import { startGitHubStandin, type GitHubStandin } from "../helpers/github-standin.ts";
import { JulesProcesses, type JulesProcess } from "../helpers/jules-process.ts";
import { issueComment } from "../helpers/payloads.ts";
import { dataDirIn, eventually, processEnv, redisDatabase, VALUE_ANSWERS, valueRepoFiles } from "../helpers/scale-out.ts";
import { createTestSchema, type TestSchema } from "../helpers/services.ts";
import { deliver } from "../helpers/signed-delivery.ts";
import { freePort } from "../helpers/web-server.ts";

const OWNER = "Codertocat";
const REPOS = ["Hello-World", "Second-Repo"] as const;
const ISSUES = [11, 12, 13];
const SLOW = "unhurried-marker";
const REDIS_DB = 7;
const TERMINAL = ["done", "failed", "cancelled"];

describe("scale-out: 2 web processes and 2 workers on PostgreSQL and Redis", { timeout: 600_000 }, () => {
  const procs = new JulesProcesses();
  const redis = redisDatabase(REDIS_DB);
  const secret = randomBytes(16).toString("hex");
  let schema: TestSchema;
  let store: TaskStore;
  let git: GitServer;
  let github: GitHubStandin;
  let llm: FakeLlm;
  let root: string;
  let webs: string[] = [];
  const workers: JulesProcess[] = [];
  const cloneUrls = new Map<string, string>();
  let slowServed = false;

  beforeAll(async () => {
    schema = await createTestSchema("scale_out");
    await redis.flush();
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
    for (const repo of REPOS) cloneUrls.set(repo, await git.createRepo(OWNER, repo, [{ files: valueRepoFiles(), message: "initial" }]));
    github = await startGitHubStandin();
    llm = await startFakeLlm([], {
      respond: phaseResponder({
        ...VALUE_ANSWERS,
        // The first execution of the marked task hangs until its worker is killed.
        executionDelayMs: (text) => (text.includes(SLOW) && !slowServed ? ((slowServed = true), 600_000) : 0),
      }),
    });
    root = await mkdtemp(join(tmpdir(), "jules-scale-out-"));
    await chmod(root, 0o711);
    const env = async (name: string) =>
      processEnv({
        githubHost: github.host,
        llmBaseUrl: llm.openaiBaseUrl,
        databaseUrl: schema.url,
        redisUrl: redis.url,
        secret,
        dataDir: await dataDirIn(root, name),
        port: await freePort(),
        apiKey: `sk-test-${name}-0123456789`,
        extra: { JULES_JOB_LEASE_MS: "5000", JULES_SHUTDOWN_GRACE_MS: "2000", JULES_WORKER_CONCURRENCY: "2" },
      });
    const webEnvs = [await env("web-1"), await env("web-2")];
    webs = webEnvs.map((e) => `http://127.0.0.1:${e.PORT}/api/github/webhooks`);
    const started = await Promise.all([
      ...webEnvs.map((e, i) => procs.start(`web-${i + 1}`, "web", e)),
      procs.start("worker-1", "worker", await env("worker-1")),
      procs.start("worker-2", "worker", await env("worker-2")),
    ]);
    workers.push(started[2]!, started[3]!);
    store = await openPostgresStore(schema.url);
  });

  afterAll(async () => {
    await procs.stopAll();
    await store?.close();
    await llm?.close();
    await github?.close();
    await git?.close();
    await redis.flush().catch(() => undefined);
    await schema?.drop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const payload = (repo: string, issue: number, body: string, login: string) => {
    const p = issueComment({ body, issueNumber: issue, login });
    Object.assign(p.repository, { name: repo, full_name: `${OWNER}/${repo}`, clone_url: cloneUrls.get(repo), default_branch: "main" });
    p.repository.owner.login = OWNER;
    return p;
  };
  const send = async (url: string, p: unknown, id: string) => {
    const answer = await deliver(url, { name: "issue_comment", payload: p, id, secret });
    assert.equal(answer.status, 200, `${url} answered ${answer.status}: ${answer.text}`);
  };
  const planComments = (repo: string, issue: number) => github.comments.filter((c) => c.repo === repo && c.issue === issue && parsePlanMarker(c.body) !== null);
  const tasksOf = async (repo: string, issue: number) => (await store.list({ owner: OWNER, repo })).filter((t) => t.issueNumber === issue);
  const settled = (ms: number, ids: string[]) =>
    eventually(
      ms,
      async () => {
        const tasks = await Promise.all(ids.map((id) => store.get(id)));
        return tasks.every((t) => t && TERMINAL.includes(t.state)) ? (tasks as Task[]) : undefined;
      },
      "tasks did not finish",
      () => procs.outputs(),
    );

  it("runs a burst of duplicated /jules and concurrent /approve deliveries exactly once per task", async () => {
    const issues = REPOS.flatMap((repo) => ISSUES.map((issue) => ({ repo, issue })));
    // 1. Each /jules arrives three times: a delivery, GitHub's redelivery of it (same id) to the other web, another delivery id.
    await Promise.all(
      issues.flatMap(({ repo, issue }, i) => {
        const p = payload(repo, issue, "/jules make the value 42", OWNER);
        const [a, b] = [webs[i % 2]!, webs[(i + 1) % 2]!];
        const id = randomUUID();
        return [send(a, p, id), send(b, p, id), send(a, p, randomUUID())];
      }),
    );
    await eventually(
      240_000,
      () => (issues.every(({ repo, issue }) => planComments(repo, issue).length > 0) ? true : undefined),
      "plans were not all posted",
      () => procs.outputs(),
    );

    // 2. Two writers approve every plan at the same moment, each through a different web process.
    await Promise.all(
      issues.flatMap(({ repo, issue }) => [
        send(webs[0]!, payload(repo, issue, "/approve", OWNER), randomUUID()),
        send(webs[1]!, payload(repo, issue, "/approve looks right", "octocat"), randomUUID()),
      ]),
    );
    const ids = (await Promise.all(issues.map(({ repo, issue }) => tasksOf(repo, issue)))).flat().map((t) => t.id);
    const tasks = await settled(300_000, ids);

    // Every issue has exactly one task, done; one approval won; one plan and one pull request each.
    assert.equal(tasks.length, issues.length, "one task per issue, whatever the duplicates");
    for (const { repo, issue } of issues) {
      const [task] = await tasksOf(repo, issue);
      assert.equal(task?.state, "done", `${repo}#${issue}: ${JSON.stringify(task?.failure)}\n${procs.outputs()}`);
      const history = await store.history(task.id);
      assert.equal(history.filter((e) => e.to === "done").length, 1, `${repo}#${issue} ended done once`);
      assert.equal(history.filter((e) => e.to === "approved").length, 1, `${repo}#${issue} was approved once`);
      assert.equal(planComments(repo, issue).length, 1, `${repo}#${issue} has one plan comment`);
      const pulls = github.pulls.filter((p) => p.repo === repo && p.head === task.branch);
      assert.equal(pulls.length, 1, `${repo}#${issue} has one pull request`);
      assert.equal(task.pullRequestNumber, pulls[0]!.number);
      assert.equal(await gitOut(git.repoPath(OWNER, repo), "show", `${task.branch}:src/value.txt`), "42");
    }
    const created = github.requests.filter((r) => r.method === "POST" && /\/pulls$/.test(r.path));
    assert.equal(created.length, issues.length, "one pull request creation per task, none refused as a duplicate");
    const pushes = git.requests.filter((r) => r.method === "POST" && r.service === "git-receive-pack" && r.status === 200);
    assert.equal(pushes.length, issues.length, "one push per task");
    const checks = github.requests.filter((r) => r.method === "POST" && /\/check-runs$/.test(r.path)).map((r) => (r.body as { conclusion?: string }).conclusion);
    assert.deepEqual(
      checks,
      issues.map(() => "success"),
      "the repository's tests ran in the sandbox and passed, once per task",
    );
    assert.deepEqual(github.violations, [], "requests or answers GitHub's OpenAPI description does not allow");
  });

  it("takes over the job of a worker killed with SIGKILL mid-execution: the task finishes with one pull request", async () => {
    const repo = REPOS[0];
    const issue = 31;
    await send(webs[1]!, payload(repo, issue, `/jules make the value 42, ${SLOW}`, OWNER), randomUUID());
    await eventually(
      120_000,
      () => (planComments(repo, issue).length > 0 ? true : undefined),
      "the plan was not posted",
      () => procs.outputs(),
    );
    await send(webs[0]!, payload(repo, issue, "/approve", "octocat"), randomUUID());

    // Execution began when its model request arrived; the API key says which worker sent it.
    const slowCall = (r: FakeLlm["requests"][number]) => phaseOf(r.format, r.body) === "execution" && JSON.stringify(r.body).includes(SLOW);
    const first = await eventually(
      120_000,
      () => llm.requests.find(slowCall),
      "execution never started",
      () => procs.outputs(),
    );
    const holder = workers.find((w) => String(first.headers.authorization).includes(`-${w.name}-`));
    assert.ok(holder, "the execution request names a worker");
    holder.kill("SIGKILL");
    assert.equal(await holder.exited, "SIGKILL");

    const [task] = await tasksOf(repo, issue);
    const final = (await settled(240_000, [task!.id]))[0]!;
    const survivor = workers.find((w) => w !== holder)!;
    assert.ok(
      llm.requests.some((r) => slowCall(r) && String(r.headers.authorization).includes(`-${survivor.name}-`)),
      "the other worker ran the execution again",
    );
    assert.ok(final.state === "done" || final.state === "failed", final.state);
    const pulls = github.pulls.filter((p) => p.repo === repo && p.head === final.branch);
    if (final.state === "done") {
      assert.equal(pulls.length, 1, "one pull request after the takeover");
      assert.equal(final.pullRequestNumber, pulls[0]!.number);
    } else {
      assert.ok(pulls.length <= 1);
      assert.ok(final.failure, "a failed task says why");
    }
    assert.equal(planComments(repo, issue).length, 1);
    assert.deepEqual(github.violations, []);
  });
});
