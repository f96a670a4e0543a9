/**
 * The individual checks of `openjules doctor`, each answering what is wrong
 * and how to fix it: the GitHub App's credentials (GET /app signed with the
 * app's JWT), the LLM provider's endpoint (a models list with the official
 * SDK), and the host tools (git, ripgrep, bubblewrap). None throws; each
 * returns a DoctorCheck.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { sandboxReach, type SandboxProbe } from "../../sandbox/index.ts";
import type { Settings } from "../../settings.ts";

export type CheckStatus = "ok" | "warn" | "fail" | "skip";
export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warning or failure. */
  fix?: string;
}

const run = promisify(execFile);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function checkGitHubApp(settings: Settings, request: Record<string, unknown> = {}): Promise<DoctorCheck> {
  const name = "GitHub App";
  const api = settings.github.baseUrl ?? "https://api.github.com";
  const Octokit = ProbotOctokit.defaults((o: Record<string, any>) => ({ ...o, throttle: { ...o.throttle, enabled: false }, retry: { ...o.retry, enabled: false } }));
  try {
    const probot = new Probot({
      appId: settings.github.appId,
      privateKey: settings.github.privateKey,
      baseUrl: settings.github.baseUrl,
      Octokit,
      log: pino({ level: "silent" }),
      request,
    });
    const octokit = await probot.auth();
    const { data } = await octokit.request("GET /app");
    const count = (data as { installations_count?: number } | null)?.installations_count;
    return { name, status: "ok", detail: `app "${data?.slug ?? "?"}" (id ${settings.github.appId})${count !== undefined ? `, installed on ${count} account(s)` : ""}` };
  } catch (error) {
    const e = error as { status?: number; response?: unknown };
    const said = (error as { response?: { data?: { message?: string } } }).response?.data?.message;
    if (e.status === 401) {
      return {
        name,
        status: "fail",
        detail: `GitHub refused the app's JWT (401${said ? `: ${said}` : ""})`,
        fix: "Check that PRIVATE_KEY belongs to APP_ID (download a new key from the GitHub App's settings page) and that this machine's clock is right.",
      };
    }
    if (e.status === 404)
      return {
        name,
        status: "fail",
        detail: `GitHub knows no app with id ${settings.github.appId} (404)`,
        fix: "Set APP_ID to the App ID shown on the GitHub App's settings page (and GHE_HOST for GitHub Enterprise Server).",
      };
    if (e.status && e.response)
      return { name, status: "fail", detail: `GET ${api}/app answered ${e.status}${said ? `: ${said}` : ""}`, fix: "See GitHub's message; check APP_ID and PRIVATE_KEY." };
    return {
      name,
      status: "fail",
      detail: `cannot reach ${api}: ${message(error)}`,
      fix: "Check the network, proxy and DNS from this machine (and GHE_HOST/GHE_PROTOCOL for GitHub Enterprise Server).",
    };
  }
}

export async function checkProvider(agent: Settings["agent"], timeoutMs = 10_000): Promise<DoctorCheck> {
  const name = "LLM provider";
  if (agent.provider === "none") {
    return {
      name,
      status: "warn",
      detail: "no provider is configured: tasks fail with a message in the thread",
      fix: "Set JULES_PROVIDER, JULES_MODEL and the provider's API key (see .env.example).",
    };
  }
  const anthropic = agent.provider === "anthropic";
  const endpoint = anthropic ? (agent.anthropic.baseUrl ?? "https://api.anthropic.com") : (agent.openai.baseUrl ?? "https://api.openai.com/v1");
  const keyVar = anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY";
  try {
    const models: string[] = [];
    if (anthropic) {
      const client = new Anthropic({ apiKey: agent.anthropic.apiKey ?? null, authToken: null, baseURL: endpoint, maxRetries: 0, timeout: timeoutMs });
      for (const m of (await client.models.list({ limit: 1000 })).data) models.push(m.id);
    } else {
      const client = new OpenAI({ apiKey: agent.openai.apiKey ?? "no-key", baseURL: endpoint, maxRetries: 0, timeout: timeoutMs });
      for (const m of (await client.models.list()).data) models.push(m.id);
    }
    const listed = models.some((m) => m === agent.model || m.endsWith(`/${agent.model}`));
    if (!listed && models.length > 0) {
      return {
        name,
        status: "warn",
        detail: `${endpoint} answers, but does not list the model ${agent.model} (${models.length} models listed)`,
        fix: `Check JULES_MODEL; the endpoint lists e.g. ${models.slice(0, 5).join(", ")}.`,
      };
    }
    return { name, status: "ok", detail: `${agent.provider} at ${endpoint} answers${listed ? ` and lists ${agent.model}` : ""}` };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 401 || status === 403) return { name, status: "fail", detail: `${endpoint} refused the API key (${status})`, fix: `Set a valid ${keyVar}.` };
    if (status === 404 && agent.provider === "openai-compatible") {
      return {
        name,
        status: "warn",
        detail: `${endpoint} answers, but has no models list (404), so the model could not be checked`,
        fix: "Nothing to do if chat completions work; otherwise check OPENAI_BASE_URL (it usually ends in /v1).",
      };
    }
    if (status)
      return {
        name,
        status: "fail",
        detail: `${endpoint} answered ${status}: ${message(error)}`,
        fix: `Check ${anthropic ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL"} and ${keyVar}.`,
      };
    return {
      name,
      status: "fail",
      detail: `cannot reach ${endpoint}: ${message(error)}`,
      fix: `Check that the endpoint runs and ${anthropic ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL"} points at it.`,
    };
  }
}

export async function checkTool(name: "git" | "ripgrep", command: string, required: boolean): Promise<DoctorCheck> {
  try {
    const { stdout } = await run(command, ["--version"], { timeout: 10_000 });
    return { name, status: "ok", detail: stdout.split("\n")[0]!.trim() };
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    const why = missing ? `${command} is not installed (or not on PATH)` : `${command} --version failed: ${message(error)}`;
    const effect = required ? "" : ": the agent's search tool is unavailable";
    return { name, status: required ? "fail" : "warn", detail: `${why}${effect}`, fix: `Install it: apt-get install -y ${name === "ripgrep" ? "ripgrep" : "git"}` };
  }
}

export function checkSandbox(sandbox: Settings["sandbox"], probe: SandboxProbe | null): DoctorCheck {
  const name = "sandbox";
  if (sandbox.mode === "unsafe") {
    return { name, status: "warn", detail: "JULES_SANDBOX=unsafe: repository code runs unconfined on this host", fix: "Install bubblewrap and remove JULES_SANDBOX=unsafe." };
  }
  if (probe?.ok)
    return { name, status: "ok", detail: `${probe.version || "bubblewrap"} at ${probe.bwrapPath} creates sandboxes${probe.dropTo ? ` (running as uid ${probe.dropTo.uid})` : ""}` };
  return {
    name,
    status: "fail",
    detail: probe ? probe.reason : "the sandbox probe did not run",
    fix: "apt-get install -y bubblewrap, and allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; in a container: security_opt seccomp=unconfined and apparmor=unconfined). Or set JULES_SANDBOX=unsafe (not recommended).",
  };
}

/** Whether the sandbox user (when the app runs as root) can reach the data directory, the egress socket and the Node binary, or this host stages them. */
export async function checkSandboxReach(sandbox: Settings["sandbox"], probe: SandboxProbe | null, dataDir: string): Promise<DoctorCheck> {
  const name = "sandbox reach";
  if (sandbox.mode === "unsafe") return { name, status: "skip", detail: "JULES_SANDBOX=unsafe: commands run as this process" };
  const reach = await sandboxReach(probe, dataDir);
  return { name, status: reach.status, detail: reach.detail, ...(reach.fix ? { fix: reach.fix } : {}) };
}

/** Setup's network path: what a repository with `setup_network: public` gets on this deployment. */
export function checkSetupNetwork(sandbox: Settings["sandbox"]): DoctorCheck {
  const name = "setup network";
  if (sandbox.mode === "unsafe")
    return {
      name,
      status: "warn",
      detail: "JULES_SANDBOX=unsafe: setup, tests and agent commands use this host's network unfiltered",
      fix: "Install bubblewrap and remove JULES_SANDBOX=unsafe.",
    };
  if (sandbox.setupNetwork.mode === "off") return { name, status: "ok", detail: "off (JULES_SETUP_NETWORK=off): setup never has network, whatever .github/jules.yml says" };
  const allow = sandbox.setupNetwork.allowHosts;
  return {
    name,
    status: "ok",
    detail: `with \`setup_network: public\`: public hosts on ports 80 and 443 only, through OpenJules's egress proxy (never loopback, private, link-local/metadata or this host's addresses); ${allow.length ? `allowlisted: ${allow.join(", ")}` : "no allowlist (JULES_SETUP_ALLOW_HOSTS)"}`,
  };
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;

/** Which of the per-command and per-task limits this host enforces, and what the operator must provide where one cannot be. */
export function checkSandboxLimits(sandbox: Settings["sandbox"], probe: SandboxProbe | null): DoctorCheck {
  const name = "sandbox limits";
  const quota = `disk quota: ${mib(sandbox.diskQuotaBytes)} per task (working copy and HOME, checked while and after each command)`;
  if (sandbox.mode === "unsafe" || !probe?.ok) {
    return {
      name,
      status: "warn",
      detail: `only rlimits per process (no sandbox): no cgroup, tmpfs or seccomp limits; ${quota}`,
      fix: "Run with bubblewrap (see the sandbox check).",
    };
  }
  const { cgroups, layout } = probe;
  const memory =
    cgroups.version === 0
      ? `cgroup memory: no (${cgroups.reason}), so memory is bounded per process only (${mib(sandbox.memoryBytes)} each, plus up to 3 × ${mib(sandbox.tmpfsBytes)} of tmpfs)`
      : `cgroup memory: yes (v${cgroups.version}, ${mib(sandbox.memoryBytes)} for each command's processes and tmpfs together${cgroups.version === 1 && !cgroups.pids ? "; no pids cgroup, RLIMIT_NPROC only" : ""})`;
  const tmpfs = layout.features.tmpfsSize
    ? `tmpfs size: yes (${mib(sandbox.tmpfsBytes)} each for /tmp, /dev/shm and a tmpfs HOME)`
    : "tmpfs size: no (bubblewrap older than 0.5 has no --size)";
  const seccomp = layout.features.seccomp
    ? "seccomp: yes"
    : `seccomp: no (${process.arch === "x64" || process.arch === "arm64" ? "bubblewrap has no --seccomp" : `no filter for ${process.arch}`})`;
  const fixes = [
    ...(cgroups.version === 0
      ? [
          "delegate a memory cgroup to OpenJules (systemd: Delegate=yes in the unit; a container: a writable cgroup v2 namespace, e.g. run with --cgroupns=private and a writable /sys/fs/cgroup), or bound the whole service's memory from outside (systemd MemoryMax=, docker --memory)",
        ]
      : []),
    ...(layout.features.tmpfsSize ? [] : ["install bubblewrap 0.5 or newer"]),
    ...(layout.features.seccomp ? [] : ["install bubblewrap with --seccomp on x86_64 or arm64"]),
  ];
  const detail = [memory, tmpfs, seccomp, quota].join("; ");
  return fixes.length === 0 ? { name, status: "ok", detail } : { name, status: "warn", detail, fix: `${fixes.join("; ")}.` };
}
