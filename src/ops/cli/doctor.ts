/**
 * `openjules doctor`: checks everything an OpenJules process needs and says
 * what is wrong and how to fix it. Settings first (each problem is its own
 * finding; the checks that need valid settings are then skipped), then, in
 * parallel: the data directory, the database and the queue, the GitHub App's
 * credentials, the sandbox, whether its user reaches the data directory (or
 * this host stages it), which of its limits this host enforces (memory
 * cgroup, tmpfs size, seccomp, the disk quota), git, ripgrep and the LLM endpoint. Failures make
 * the report not ok (exit code 1); warnings do not.
 */
import { mkdir } from "node:fs/promises";
import type { Logger } from "pino";
import { probeSandbox as realProbe, type ProbeOptions, type SandboxProbe } from "../../sandbox/index.ts";
import { loadSettings, SettingsError, type Settings } from "../../settings.ts";
import { checkGitHubApp, checkProvider, checkSandbox, checkSandboxLimits, checkSandboxReach, checkSetupNetwork, checkTool, type DoctorCheck } from "./doctor-checks.ts";
import { checkDisk, DEFAULT_MIN_FREE_BYTES } from "../health.ts";
import type { BackendsFactory } from "./backends.ts";

export type { DoctorCheck } from "./doctor-checks.ts";

export interface DoctorDeps {
  env: Record<string, string | undefined>;
  backends: BackendsFactory;
  log: Logger;
  probeSandbox?: (options: ProbeOptions) => Promise<SandboxProbe>;
  /** Extra Octokit request options for GET /app (tests route it to a mock). */
  githubRequest?: Record<string, unknown>;
  /** Time the provider may take to answer. Default 10 s. */
  providerTimeoutMs?: number;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  let settings: Settings | null = null;
  const checks: DoctorCheck[] = [];
  try {
    settings = loadSettings(deps.env);
    checks.push({ name: "settings", status: "ok", detail: "every setting is valid" });
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    for (const problem of error.problems)
      checks.push({ name: "settings", status: "fail", detail: problem, fix: "Set it in .env or the environment (.env.example documents every setting)." });
  }
  const tools = [checkTool("git", "git", true), checkTool("ripgrep", "rg", false)];
  if (!settings) {
    const skipped = ["data directory", "database", "queue", "GitHub App", "sandbox", "sandbox reach", "sandbox limits", "LLM provider"];
    checks.push(...(await Promise.all(tools)), ...skipped.map((name) => ({ name, status: "skip" as const, detail: "skipped until the settings are valid" })));
    return { ok: false, checks };
  }
  const s = settings;
  const probe = deps.probeSandbox ?? realProbe;
  const found = await Promise.all([
    checkDataDir(s.dataDir),
    checkBackends(deps, s),
    checkGitHubApp(s, deps.githubRequest),
    s.sandbox.mode === "bubblewrap"
      ? probe({ bwrapPath: s.sandbox.bwrapPath }).then(async (p) => [
          checkSandbox(s.sandbox, p),
          await checkSandboxReach(s.sandbox, p, s.dataDir),
          checkSandboxLimits(s.sandbox, p),
          checkSetupNetwork(s.sandbox),
        ])
      : checkSandboxReach(s.sandbox, null, s.dataDir).then((reach) => [checkSandbox(s.sandbox, null), reach, checkSandboxLimits(s.sandbox, null), checkSetupNetwork(s.sandbox)]),
    ...tools,
    checkProvider(s.agent, deps.providerTimeoutMs),
  ]);
  checks.push(...found.flat());
  return { ok: checks.every((c) => c.status !== "fail"), checks };
}

async function checkDataDir(dataDir: string): Promise<DoctorCheck> {
  const name = "data directory";
  try {
    await mkdir(dataDir, { recursive: true });
    return { name, status: "ok", detail: `${dataDir}: writable, ${await checkDisk(dataDir, DEFAULT_MIN_FREE_BYTES)}` };
  } catch (error) {
    return {
      name,
      status: "fail",
      detail: `${dataDir}: ${(error as Error).message}`,
      fix: "Point JULES_DATA_DIR at a writable local directory with at least 1 GiB free (more for repository mirrors).",
    };
  }
}

async function checkBackends(deps: DoctorDeps, settings: Settings): Promise<DoctorCheck[]> {
  let backends;
  try {
    backends = await deps.backends.open(settings, deps.log);
  } catch (error) {
    return [
      {
        name: "database",
        status: "fail",
        detail: `cannot open: ${(error as Error).message}`,
        fix: "Check JULES_DATA_DIR (or DATABASE_URL) and that the database is running and reachable.",
      },
      { name: "queue", status: "skip", detail: "skipped: the database did not open" },
    ];
  }
  try {
    const database = await backends.store.list({ limit: 1 }).then(
      (): DoctorCheck => ({ name: "database", status: "ok", detail: `${backends.description} answers` }),
      (error: Error): DoctorCheck => ({
        name: "database",
        status: "fail",
        detail: error.message,
        fix: "Check that the database is running and reachable, then run: openjules migrate",
      }),
    );
    const queue = await backends.queue.depth().then(
      (depth): DoctorCheck => ({ name: "queue", status: "ok", detail: `${depth} job(s) waiting` }),
      (error: Error): DoctorCheck => ({
        name: "queue",
        status: "fail",
        detail: error.message,
        fix: "Check that the queue backend (REDIS_URL, or the embedded database) is running and reachable.",
      }),
    );
    return [database, queue];
  } finally {
    await backends.close();
  }
}

const MARK: Record<DoctorCheck["status"], string> = { ok: "ok  ", warn: "warn", fail: "FAIL", skip: "skip" };

export function formatDoctor(report: DoctorReport): string {
  const lines = report.checks.map((c) => `[${MARK[c.status]}] ${c.name}: ${c.detail}${c.fix && c.status !== "ok" ? `\n       fix: ${c.fix}` : ""}`);
  const failures = report.checks.filter((c) => c.status === "fail").length;
  lines.push(report.ok ? "Everything OpenJules needs is in place." : `${failures} problem(s) to fix before OpenJules can work.`);
  return lines.join("\n");
}
