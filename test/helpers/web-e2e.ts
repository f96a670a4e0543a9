/**
 * The world of the web app's end-to-end tests: a real OpenJules server (the
 * composition root's, web and worker in one process, SQLite store, embedded
 * queue) whose GitHub is the stand-in over HTTP (github-standin.ts: REST
 * checked against GitHub's OpenAPI description, with the OAuth web flow and
 * the signed-in user's endpoints of github-oauth.ts and the installation's
 * repositories of github-repos.ts), whose repositories are real bare
 * repositories on a git server (clone and push over smart HTTP with the
 * installation token), whose model is the fake server (fake-llm) answering
 * each task from a script chosen by a marker in its instruction, and whose
 * commands and tests run in the real bubblewrap sandbox. Plus Debian's
 * Chromium, the built app (web/dist), and signing in through the browser.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { TaskState } from "../../src/domain/model.ts";
import { STATE_WORDS } from "../../src/render/words.ts";
import { createAgentFromSettings } from "../../src/agent/from-settings.ts";
import { deliver } from "../../src/delivery/deliver.ts";
import { createSandboxRunner, resolveTestCommands } from "../../src/sandbox/index.ts";
import { createWorkspaces } from "../../src/workspace/from-settings.ts";
import { launchBrowser } from "./browser.ts";
import { calledTools, phaseOf } from "./fake-llm/by-phase.ts";
import { call, type Step } from "./fake-llm/script.ts";
import { type FakeLlm, startFakeLlm } from "./fake-llm/server.ts";
import { gitOut } from "./git/repo.ts";
import type { CommitSpec } from "./git/fast-import.ts";
import { type GitServer, startGitServer } from "./git-server.ts";
import { INSTALLATION_TOKEN } from "./github-mock.ts";
import { GitHubOAuth, type OAuthUser } from "./github-oauth.ts";
import { GitHubRepos } from "./github-repos.ts";
import { type GitHubStandin, startGitHubStandin } from "./github-standin.ts";
import { startTestApp, type TestApp } from "./test-app.ts";
import { ensureWebBuild } from "./web-build.ts";

export const CLIENT_ID = "Iv1.5e2ab0c3d4e5f607";
export const CLIENT_SECRET = "web-e2e-client-secret-0123456789";
export const OPENAI_KEY = ["sk", "test", "web0123456789abcdef0123456789"].join("-");
/** The operator's allowed models, so the New task page offers a choice. */
export const ALLOWED_MODELS = ["openai:gpt-4o", "openai:gpt-4o-mini"];

export type Plan = {
  summary: string;
  steps: { title: string; files: string[]; detail?: string }[];
  risks: string[];
  verification: string;
};

/** What the model does for a task whose instruction holds `marker`. */
export interface TaskScript {
  marker: string;
  plan: Plan;
  /** The execution's tool calls before `finish`, in order (run, edit_file, write_file…). */
  work: { name: "run" | "edit_file" | "write_file" | "read_file"; input: Record<string, unknown> }[];
  summary: string;
  /** Holds an execution answer this long (once per task), so a test sees the task working or pauses it. */
  holdMs?: number;
  /** Which of the work calls is held (0, the first, unless told). */
  holdStep?: number;
}

/** The value repository's tests (valueRepoFiles in scale-out.ts): pass once src/value.txt holds 42. */
export const VALUE_TEST = '#!/bin/sh\nvalue=$(cat src/value.txt)\nif [ "$value" = "42" ]; then echo "1 passed, 0 failed"; else echo "expected 42, got $value"; exit 1; fi\n';

export function valueFiles(): Record<string, string> {
  return { "README.md": "# Value\n\nA value the tests check.\n", "src/value.txt": "41\n", "test.sh": VALUE_TEST };
}

/** A script that sets the value to 42 after reading it with a command (so the log has a command and its output). */
export function valueScript(marker: string, extra: Partial<TaskScript> = {}): TaskScript {
  return {
    marker,
    plan: {
      summary: "Set the value to 42 so the test passes.",
      steps: [{ title: "Write 42 into src/value.txt", files: ["src/value.txt"] }],
      risks: [],
      verification: "sh test.sh",
    },
    work: [
      { name: "run", input: { command: "cat src/value.txt && echo checked-the-value" } },
      { name: "edit_file", input: { path: "src/value.txt", old_string: "41", new_string: "42" } },
    ],
    summary: "src/value.txt now holds 42, which the test expects.",
    ...extra,
  };
}

const WORK_TOOLS = new Set(["run", "edit_file", "write_file", "read_file"]);

export interface WebWorldOptions {
  /** The people GitHub knows (sign-in), with their installations. */
  users: OAuthUser[];
  /** Role of a login on every repository (the stand-in's; unknown logins write). */
  roles?: Record<string, string>;
  /** Repositories: `owner/name` → commits (main first); every one is installed. */
  repositories: Record<string, CommitSpec[]>;
  scripts: TaskScript[];
  env?: Record<string, string>;
}

export interface WebWorld {
  app: TestApp;
  github: GitHubStandin;
  oauth: GitHubOAuth;
  git: GitServer;
  llm: FakeLlm;
  browser: Browser;
  /** `http://127.0.0.1:<port>` of the OpenJules server. */
  base: string;
  /** A new browser context (desktop 1280×800 unless told) signed in as `login` through the OAuth redirects, on `path`. */
  signIn(login: string, options?: { path?: string; context?: BrowserContext }): Promise<Page>;
  /** The head commit's files of a branch, for assertions. */
  show(fullName: string, ref: string, path: string): Promise<string>;
  close(): Promise<void>;
}

export async function startWebWorld(options: WebWorldOptions): Promise<WebWorld> {
  await ensureWebBuild();
  const git = await startGitServer({ tokens: [INSTALLATION_TOKEN] });
  for (const [fullName, commits] of Object.entries(options.repositories)) {
    const [owner, name] = fullName.split("/") as [string, string];
    await git.createRepo(owner, name, commits);
  }
  const oauth = new GitHubOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, users: options.users });
  const repos = new GitHubRepos({ git, repositories: Object.keys(options.repositories).map((fullName) => ({ fullName })) });
  const configs = Object.fromEntries(Object.keys(options.repositories).map((r) => [r, "test: sh test.sh\n"]));
  const github = await startGitHubStandin({ extensions: [oauth, repos], configs, ...(options.roles ? { roles: options.roles } : {}) });
  const llm = await startFakeLlm([], { respond: scriptedResponder(options.scripts) });
  const dataDir = await mkdtemp(join(tmpdir(), "jules-web-e2e-"));
  await chmod(dataDir, 0o711); // the sandbox user must reach the worktrees (README: running as root)
  const workspaces = createWorkspaces({ dataDir }, { cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, sparesPerRepo: 0 });
  const runner = createSandboxRunner({ mode: "bubblewrap", limits: { memoryBytes: 2 * 1024 ** 3, processes: 256 } });
  const app = await startTestApp({
    server: true,
    dataDir,
    workspaces,
    deliver,
    env: {
      APP_ID: "1",
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      GITHUB_CLIENT_ID: CLIENT_ID,
      GITHUB_CLIENT_SECRET: CLIENT_SECRET,
      JULES_PROVIDER: "openai",
      JULES_MODEL: "gpt-4o",
      JULES_ALLOWED_MODELS: ALLOWED_MODELS.join(","),
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: llm.openaiBaseUrl,
      JULES_API_TOKENS: join(dataDir, "tokens.json"),
      ...options.env,
    },
    agentFactory: (settings) => createAgentFromSettings(settings, { runner, commandTimeoutMs: 60_000, detectCommands: resolveTestCommands }),
  });
  const base = `http://127.0.0.1:${app.jules.port}`;
  const browser = await launchBrowser();
  return {
    app,
    github,
    oauth,
    git,
    llm,
    browser,
    base,
    async signIn(login, { path = "/app/", context } = {}) {
      const ctx = context ?? (await browser.newContext({ viewport: { width: 1280, height: 800 } }));
      const page = await ctx.newPage();
      await page.goto(`${base}${path}`);
      oauth.signInAs = login;
      await page.getByRole("link", { name: "Sign in with GitHub" }).click();
      await page.getByText(`Signed in as ${login}`).waitFor();
      return page;
    },
    show(fullName, ref, path) {
      const [owner, name] = fullName.split("/") as [string, string];
      return gitOut(git.repoPath(owner, name), "show", `${ref}:${path}`);
    },
    async close() {
      await browser?.close();
      await app?.close(5000);
      await llm?.close();
      await github?.close();
      await git?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The model: each request is answered from the script whose marker its text
 * holds (the instruction is in every prompt). Planning gets submit_plan at
 * once; execution makes the script's calls in order (counted from the work
 * calls already in the conversation: a resumed run starts again and a
 * repeated edit fails harmlessly), then finish.
 */
function scriptedResponder(scripts: TaskScript[]) {
  const held = new Set<string>();
  return ({ format, body }: { format: "openai" | "anthropic"; body: any }): Step => {
    const text = JSON.stringify(body);
    const script = scripts.find((s) => text.includes(s.marker));
    if (!script) return { kind: "fail", status: 400, message: "web-e2e model: no script for this request" };
    const phase = phaseOf(format, body);
    if (phase === "planning") return call("submit_plan", script.plan);
    if (phase === "other") return { kind: "fail", status: 400, message: "web-e2e model: the request offers neither submit_plan nor finish" };
    const done = calledTools(format, body).filter((name) => WORK_TOOLS.has(name)).length;
    const next = script.work[done];
    if (!next) return call("finish", { summary: script.summary });
    const hold = script.holdMs && done === (script.holdStep ?? 0) && !held.has(script.marker) ? (held.add(script.marker), script.holdMs) : 0;
    return call(next.name, next.input, hold > 0 ? { delayMs: hold } : {});
  };
}

/** Starts a task from the New task page (the first repository matching `repository`, its default branch unless told); resolves with its id once the task page shows. */
export async function startTaskInPage(page: Page, base: string, instruction: string, options: { repository?: string; branch?: string } = {}): Promise<string> {
  await page.goto(`${base}/app/new`);
  if (options.repository) await page.getByLabel("Search repositories").fill(options.repository);
  if (options.branch) await page.getByLabel("Branch").selectOption(options.branch);
  await page.getByLabel("What should OpenJules do?").fill(instruction);
  await page.getByRole("button", { name: "Start task" }).click();
  await page.waitForURL(/\/app\/tasks\/[^/]+$/);
  return decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
}

/** Waits until the task page says the task is in `state` (the words of src/render/words.ts). */
export async function stateShown(page: Page, state: TaskState, timeout = 120_000): Promise<void> {
  await page.getByText(`The task is ${STATE_WORDS[state]}.`).waitFor({ timeout });
}

/** A POST to /api/v1 from the page, as its own code makes it: the session cookie and (unless `csrf: false`) the CSRF token of GET /api/v1/me. */
export async function postFromPage(page: Page, path: string, body: unknown = {}, options: { csrf?: boolean } = {}): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ path, body, csrf }) => {
      const me = (await (await fetch("/api/v1/me", { credentials: "same-origin" })).json()) as { csrfToken: string };
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (csrf) headers["x-csrf-token"] = me.csrfToken;
      const res = await fetch(`/api/v1${path}`, { method: "POST", credentials: "same-origin", headers, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    { path, body, csrf: options.csrf !== false },
  );
}
