/**
 * SIGTERM always ends the process, within JULES_SHUTDOWN_GRACE_MS and a few
 * seconds, whatever is in flight. A real `src/main.ts` (web server and
 * worker, SQLite and the embedded queue) takes a `/jules`, plans, is
 * approved, and its execution runs a long command in bubblewrap through the
 * agent's `run` tool (the model is the fake server, GitHub the stand-in,
 * the repository on a real git server). An attacker process then holds
 * endless webhook bodies, request heads that never end and idle keep-alive
 * sockets (the body deadline is set far beyond the test, so only shutdown
 * can end them). On SIGTERM the process exits in time, the running job is
 * back in the queue, and no process of the sandboxed command survives.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, it } from "vitest";
import { parsePlanMarker } from "../../src/render/markers.ts";
import { openEmbeddedQueue } from "../../src/queue/embedded/index.ts";
import { sqlitePath } from "../../src/store/open.ts";
import { phaseOf } from "../helpers/fake-llm/by-phase.ts";
import { call } from "../helpers/fake-llm/script.ts";
import { startFakeLlm, type FakeLlm } from "../helpers/fake-llm/server.ts";
import { startGitServer, type GitServer } from "../helpers/git-server.ts";
import { INSTALLATION_TOKEN } from "../helpers/github-mock.ts";
import { startGitHubStandin, type GitHubStandin } from "../helpers/github-standin.ts";
import { JulesProcesses, type JulesProcess } from "../helpers/jules-process.ts";
import { testPrivateKey } from "../helpers/keys.ts";
import { issueComment } from "../helpers/payloads.ts";
import { dataDirIn, eventually, valueRepoFiles } from "../helpers/scale-out.ts";
import { deliver } from "../helpers/signed-delivery.ts";
import { freePort } from "../helpers/web-server.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const OWNER = "Codertocat";
const REPO = "Hello-World";
const GRACE_MS = 2000;
/** The sandboxed command's own marker: its argument, visible in /proc/<pid>/cmdline. */
const MARKER = "297.4242";

/** Pids of live processes whose command line holds `text`. */
async function processesWith(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.split("\0").includes(text)) pids.push(Number(entry));
  }
  return pids;
}

describe("SIGTERM under load", { timeout: 300_000 }, () => {
  const procs = new JulesProcesses();
  const secret = randomBytes(16).toString("hex");
  let git: GitServer;
  let github: GitHubStandin;
  let llm: FakeLlm;
  let root: string;
  let dataDir: string;
  let app: JulesProcess;
  let port: number;
  let attacker: ReturnType<typeof spawn> | null = null;

  beforeAll(async () => {
    git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
    const cloneUrl = await git.createRepo(OWNER, REPO, [{ files: valueRepoFiles(), message: "initial" }]);
    github = await startGitHubStandin();
    llm = await startFakeLlm([], {
      respond: ({ format, body }) =>
        phaseOf(format, body) === "planning"
          ? call("submit_plan", { summary: "Run the slow check.", steps: [{ title: "Run it", files: ["src/value.txt"] }], risks: [], verification: "make test" })
          : call("run", { command: `sleep ${MARKER}` }),
    });
    root = await mkdtemp(join(tmpdir(), "jules-shutdown-"));
    await chmod(root, 0o711);
    dataDir = await dataDirIn(root, "data");
    port = await freePort();
    app = await procs.start("app", "all", {
      APP_ID: "1",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: secret,
      HOST: "127.0.0.1",
      PORT: String(port),
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      JULES_DATA_DIR: dataDir,
      JULES_PROVIDER: "openai",
      JULES_MODEL: "gpt-4o",
      OPENAI_API_KEY: "sk-test-shutdown-0123456789",
      OPENAI_BASE_URL: llm.openaiBaseUrl,
      JULES_GITHUB_WRITE_INTERVAL_MS: "0",
      JULES_WORKSPACE_SPARES: "0",
      JULES_SANDBOX_MEMORY_MB: "1024",
      JULES_SHUTDOWN_GRACE_MS: String(GRACE_MS),
      // Far beyond this test: only shutdown can end the attacker's endless requests.
      JULES_HTTP_BODY_TIMEOUT_MS: "600000",
    });
    const payload = (body: string) => {
      const p = issueComment({ body, issueNumber: 7, login: OWNER });
      Object.assign(p.repository, { name: REPO, full_name: `${OWNER}/${REPO}`, clone_url: cloneUrl, default_branch: "main" });
      p.repository.owner.login = OWNER;
      return p;
    };
    const url = `http://127.0.0.1:${port}/api/github/webhooks`;
    assert.equal((await deliver(url, { name: "issue_comment", payload: payload("/jules run the slow check"), secret })).status, 200);
    await eventually(
      120_000,
      () => (github.comments.some((c) => parsePlanMarker(c.body) !== null) ? true : undefined),
      "no plan was posted",
      () => procs.outputs(),
    );
    assert.equal((await deliver(url, { name: "issue_comment", payload: payload("/approve"), secret })).status, 200);
    await eventually(
      120_000,
      async () => ((await processesWith(MARKER)).length > 0 ? true : undefined),
      "the sandboxed command never started",
      () => procs.outputs(),
    );
  });

  afterAll(async () => {
    attacker?.kill("SIGKILL");
    await procs.stopAll();
    for (const pid of await processesWith(MARKER)) process.kill(pid, "SIGKILL");
    await llm?.close();
    await github?.close();
    await git?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("exits within the grace and a few seconds with endless requests, keep-alive sockets and a sandboxed command in flight", async () => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "node"), [join(ROOT, "test", "helpers", "open-requests-child.ts"), String(port)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    attacker = child;
    const opened = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`the attacker process exited (${code}) before opening its requests`)));
    });
    assert.match(opened, /^open \d+$/);

    const started = performance.now();
    app.kill("SIGTERM");
    const outcome = await Promise.race([app.exited, new Promise<null>((r) => setTimeout(() => r(null), GRACE_MS + 6000))]);
    const tookMs = performance.now() - started;
    assert.notEqual(outcome, null, `still running ${GRACE_MS + 6000} ms after SIGTERM. Its output:\n${app.output().split("\n").slice(-15).join("\n")}`);
    assert.ok(tookMs < GRACE_MS + 6000, `exited after ${Math.round(tookMs)} ms`);

    await eventually(
      3000,
      async () => ((await processesWith(MARKER)).length === 0 ? true : undefined),
      `a process of the sandboxed command (sleep ${MARKER}) survived the shutdown`,
    );
    const queue = openEmbeddedQueue(sqlitePath({ dataDir }), { leaseMs: 30_000 });
    try {
      assert.equal(await queue.depth(), 1, "the running job was handed back to the queue");
    } finally {
      await queue.close();
    }
    assert.deepEqual(github.violations, [], "every GitHub request and answer matched GitHub's OpenAPI description");
  });
});
