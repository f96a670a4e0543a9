import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { pino } from "pino";
import { configuredBackends } from "../../src/ops/cli/backends.ts";
import { runCli } from "../../src/ops/cli/program.ts";
import { checkSandboxLimits } from "../../src/ops/cli/doctor-checks.ts";
import { formatDoctor, runDoctor, type DoctorReport } from "../../src/ops/cli/doctor.ts";
import { probeSandbox } from "../../src/sandbox/index.ts";
import { GitHubMock } from "../helpers/github-mock.ts";
import { testPrivateKey } from "../helpers/keys.ts";

/** A model server answering the models list in the OpenAI and Anthropic wire formats, or 401 for a wrong key. */
async function modelServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const key = req.headers.authorization ?? req.headers["x-api-key"];
    if (!String(key).includes("good-key")) {
      return json(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error", param: null, code: "invalid_api_key" } });
    }
    if (path === "/v1/models" && req.headers["anthropic-version"]) {
      return json(200, {
        data: [{ type: "model", id: "claude-sonnet-4-5", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z" }],
        has_more: false,
        first_id: "claude-sonnet-4-5",
        last_id: "claude-sonnet-4-5",
      });
    }
    if (path === "/v1/models") return json(200, { object: "list", data: [{ id: "llama3.1:8b", object: "model", created: 1721000000, owned_by: "library" }] });
    json(404, { error: { message: "not found" } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("openjules doctor", () => {
  let models: { server: Server; url: string };
  let dataDir: string;
  const log = pino({ level: "silent" });
  const env = (extra: Record<string, string>) => ({
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: "secret",
    JULES_DATA_DIR: dataDir,
    JULES_PROVIDER: "openai-compatible",
    JULES_MODEL: "llama3.1:8b",
    OPENAI_BASE_URL: `${models.url}/v1`,
    OPENAI_API_KEY: "good-key",
    ...extra,
  });
  const status = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.name, c.status]));

  beforeAll(async () => {
    models = await modelServer();
    dataDir = await mkdtemp(join(tmpdir(), "jules-doctor-"));
  });
  afterAll(async () => {
    await new Promise((resolve) => models.server.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  });
  afterEach(() => GitHubMock.reset());

  it("passes when everything is in place: real database, queue, bubblewrap, git, ripgrep; GitHub App and model endpoint answer", async () => {
    const mock = new GitHubMock().app("openjules");
    const report = await runDoctor({ env: env({}), backends: configuredBackends, log });
    assert.deepEqual(
      status(report),
      {
        settings: "ok",
        "data directory": "ok",
        database: "ok",
        queue: "ok",
        "GitHub App": "ok",
        sandbox: "ok",
        "sandbox reach": "ok",
        "sandbox limits": "ok",
        "setup network": "ok",
        git: "ok",
        ripgrep: "ok",
        "LLM provider": "ok",
      },
      formatDoctor(report),
    );
    assert.equal(report.ok, true);
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c.detail]));
    assert.match(byName["GitHub App"]!, /^app "openjules" \(id 1\)/);
    assert.match(byName["LLM provider"]!, /answers and lists llama3\.1:8b$/);
    assert.match(byName.git!, /^git version \d/);
    // The data directory is a mkdtemp (0700) directory: as root it is staged for the sandbox user, else that user is this one.
    assert.match(byName["sandbox reach"]!, process.getuid?.() === 0 ? /bound into each sandbox from a private staging mount/ : /runs as this process's own uid/);
    // This host delegates a v1 memory cgroup to root, and bwrap 0.8 has --size and --seccomp.
    assert.match(byName["sandbox limits"]!, /cgroup memory: yes \(v\d, 4096 MiB for each command's processes and tmpfs together/);
    assert.match(byName["sandbox limits"]!, /tmpfs size: yes \(1024 MiB each/);
    assert.match(byName["sandbox limits"]!, /seccomp: yes/);
    assert.match(byName["sandbox limits"]!, /disk quota: 16384 MiB per task/);
    assert.match(byName["setup network"]!, /public hosts on ports 80 and 443 only, through OpenJules's egress proxy .*no allowlist/);
    assert.match(formatDoctor(report), /Everything OpenJules needs is in place\.$/);
    mock.assertClean();
  });

  it("reports refused credentials with what to fix, and exits 1", async () => {
    const mock = new GitHubMock();
    const refusal = { message: "A JSON web token could not be decoded", documentation_url: "https://docs.github.com/rest" };
    // GitHub answers a bad JWT with 401 although its OpenAPI description lists no 401 for GET /app: not validated.
    mock.scope.get("/app").reply(401, refusal);
    const out: string[] = [];
    const code = await runCli(["doctor"], { env: env({ OPENAI_API_KEY: "bad-key" }), backends: configuredBackends, out: (t) => out.push(t), err: (t) => out.push(t) });
    const text = out.join("\n");
    assert.equal(code, 1);
    assert.match(text, /\[FAIL\] GitHub App: GitHub refused the app's JWT \(401: A JSON web token could not be decoded\)\n {7}fix: Check that PRIVATE_KEY belongs to APP_ID/);
    assert.match(text, /\[FAIL\] LLM provider: .* refused the API key \(401\)\n {7}fix: Set a valid OPENAI_API_KEY\./);
    assert.match(text, /2 problem\(s\) to fix before OpenJules can work\.$/);
    mock.assertClean();
  });

  it("warns (without failing) when the endpoint does not list the model, and for JULES_SANDBOX=unsafe", async () => {
    const mock = new GitHubMock().app();
    const report = await runDoctor({
      env: env({
        JULES_PROVIDER: "anthropic",
        JULES_MODEL: "claude-opus-9",
        ANTHROPIC_API_KEY: "good-key",
        ANTHROPIC_BASE_URL: models.url,
        JULES_SANDBOX: "unsafe",
        JULES_WORKSPACE_SPARES: "0",
      }),
      backends: configuredBackends,
      log,
    });
    assert.equal(report.ok, true, formatDoctor(report));
    const provider = report.checks.find((c) => c.name === "LLM provider")!;
    assert.equal(provider.status, "warn");
    assert.match(provider.detail, /does not list the model claude-opus-9/);
    assert.match(provider.fix!, /claude-sonnet-4-5/);
    assert.equal(report.checks.find((c) => c.name === "sandbox")!.status, "warn");
    const limits = report.checks.find((c) => c.name === "sandbox limits")!;
    assert.equal(limits.status, "warn");
    assert.match(limits.detail, /only rlimits per process/);
    mock.assertClean();
  });

  it("says which sandbox limits cannot be enforced on a host without a delegated cgroup, and what the operator must provide", async () => {
    const probe = await probeSandbox();
    assert.ok(probe.ok);
    const sandbox = {
      mode: "bubblewrap" as const,
      bwrapPath: "bwrap",
      memoryBytes: 4096 * 1024 ** 2,
      processes: 512,
      outputKeepBytes: 1,
      commandTimeoutMs: 1,
      tmpfsBytes: 1024 ** 3,
      diskQuotaBytes: 1024 ** 3,
      setupNetwork: { mode: "public" as const, allowHosts: [] },
      readOnlyPaths: [],
    };
    const check = checkSandboxLimits(sandbox, { ...probe, cgroups: { version: 0, reason: "cannot create a memory cgroup under /sys/fs/cgroup/x (EACCES)" } });
    assert.equal(check.status, "warn");
    assert.match(check.detail, /cgroup memory: no \(cannot create a memory cgroup .*EACCES\)\), so memory is bounded per process only/);
    assert.match(check.fix!, /Delegate=yes/);
    assert.match(check.fix!, /MemoryMax=/);
  });

  it("a broken setting is reported with its name; the checks that need settings are skipped; exit code 1", async () => {
    const out: string[] = [];
    const code = await runCli(["doctor", "--json"], {
      env: env({ WEBHOOK_SECRET: "", JULES_MAX_TURNS: "many" }),
      backends: configuredBackends,
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    assert.equal(code, 1);
    const report = JSON.parse(out.join("\n")) as DoctorReport;
    assert.equal(report.ok, false);
    const settings = report.checks.filter((c) => c.name === "settings");
    assert.deepEqual(
      settings.map((c) => c.status),
      ["fail", "fail"],
    );
    assert.ok(settings.some((c) => /^WEBHOOK_SECRET must not be empty/.test(c.detail)));
    assert.ok(settings.some((c) => /^JULES_MAX_TURNS /.test(c.detail)));
    assert.equal(report.checks.find((c) => c.name === "GitHub App")!.status, "skip");
    assert.equal(report.checks.find((c) => c.name === "git")!.status, "ok", "host tools are still checked");
  });
});
