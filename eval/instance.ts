import { randomBytes } from "node:crypto";
import { chmod, mkdir } from "node:fs/promises";
import { pino, type Logger } from "pino";
import { DEFAULT_PRICES, parsePriceOverride } from "../src/agent/prices.ts";
import { createOpenJules, type OpenJules } from "../src/composition/open-jules.ts";
import { redactSecrets } from "../src/security/redact.ts";
import { loadSettings, SETTING_NAMES, type Settings } from "../src/settings.ts";
import { testPrivateKey } from "../test/helpers/keys.ts";
import { cargoToolchain, goToolchain } from "../test/helpers/toolchains.ts";
import type { ModelSpec } from "./models.ts";
import { SCRIPTED_PREFIX, SCRIPTED_PRICE_OF } from "./scripted.ts";

/**
 * The OpenJules that runs one model's attempts, built by the composition
 * root as `npm start` builds it (real store and queue in its own data
 * directory, the real agent, workspaces, bubblewrap sandbox and delivery),
 * with GitHub at the local stand-in and the worker running in this process.
 * Of the caller's OpenJules settings it takes only those of models, agents,
 * budgets and the sandbox (PASSED); never a database, Redis or GitHub App.
 * Variables that are no setting pass (an external agent's keys).
 * Toolchains outside /usr (rustup's ~/.cargo, a Go tarball) are given to the
 * sandbox when JULES_SANDBOX_READONLY_PATHS is not set, as the tests do.
 */

const PASSED = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_BASE_URL",
  "JULES_AGENTS",
  "JULES_LLM_TIMEOUT_MS",
  "JULES_CONTEXT_WINDOW",
  "JULES_MAX_TURNS",
  "JULES_MAX_TOKENS",
  "JULES_MAX_COST_USD",
  "JULES_MAX_MINUTES",
  "JULES_SANDBOX",
  "JULES_BWRAP_PATH",
  "JULES_SANDBOX_MEMORY_MB",
  "JULES_SANDBOX_PROCESSES",
  "JULES_SANDBOX_OUTPUT_KB",
  "JULES_SANDBOX_TMPFS_MB",
  "JULES_SANDBOX_READONLY_PATHS",
  "JULES_SETUP_NETWORK",
  "JULES_SETUP_ALLOW_HOSTS",
  "JULES_TASK_DISK_MB",
  "JULES_COMMAND_TIMEOUT_MIN",
  "JULES_ENV_SNAPSHOT_MB",
] as const;

type Env = Record<string, string | undefined>;

/** Host directories the sandbox needs for Go and Rust toolchains outside /usr (none when both are under /usr or missing). */
export async function detectedToolchainPaths(): Promise<string[]> {
  const found = await Promise.all([goToolchain(), cargoToolchain()].map((t) => t.then((x) => x.extraReadOnly).catch(() => [] as string[])));
  return [...new Set(found.flat())];
}

/** The price table override: the caller's JULES_PRICES, and scripted models at SCRIPTED_PRICE_OF's list price unless it prices them. */
export function evalPrices(env: Env): string {
  const scripted = { [`openai-compatible:${SCRIPTED_PREFIX}`]: DEFAULT_PRICES[SCRIPTED_PRICE_OF]! };
  return JSON.stringify({ ...scripted, ...parsePriceOverride(env.JULES_PRICES) });
}

export interface InstanceOptions {
  env: Env;
  model: ModelSpec;
  /** Base URL of the scripted models' server (scripted models only). */
  scriptedBaseUrl: string | null;
  githubHost: string;
  dataDir: string;
  readOnlyPaths: string[];
  concurrency: number;
  verbose: boolean;
}

export function instanceSettings(o: InstanceOptions): Settings {
  const passed = Object.fromEntries(PASSED.filter((name) => (o.env[name] ?? "").trim() !== "").map((name) => [name, o.env[name]!]));
  // Variables that are not OpenJules settings stay visible: an external agent's definition reads its keys from them (`"from": "MY_AGENT_API_KEY"`).
  const others = Object.fromEntries(Object.entries(o.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !SETTING_NAMES.includes(entry[0])));
  const scripted = o.model.scripted ? { OPENAI_BASE_URL: o.scriptedBaseUrl ?? "", OPENAI_API_KEY: "sk-eval-scripted-model" } : {};
  return loadSettings({
    ...others,
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: randomBytes(16).toString("hex"),
    GHE_HOST: o.githubHost,
    GHE_PROTOCOL: "http",
    JULES_DATA_DIR: o.dataDir,
    JULES_GITHUB_WRITE_INTERVAL_MS: "0",
    JULES_WORKSPACE_SPARES: "0",
    JULES_WORKER_CONCURRENCY: String(o.concurrency),
    JULES_FIRST_RUN: "off",
    JULES_TTS: "off",
    ...(o.readOnlyPaths.length > 0 ? { JULES_SANDBOX_READONLY_PATHS: o.readOnlyPaths.join(",") } : {}),
    ...passed,
    ...o.model.env,
    ...scripted,
    JULES_PRICES: evalPrices(o.env),
  });
}

export interface Instance {
  jules: OpenJules;
  settings: Settings;
  stop(): Promise<void>;
}

export async function startInstance(o: InstanceOptions): Promise<Instance> {
  await mkdir(o.dataDir, { recursive: true });
  await chmod(o.dataDir, 0o711);
  const settings = instanceSettings(o);
  // --verbose: OpenJules's log on stderr (stdout is the report), with the process's secrets redacted as its own logger does.
  const secrets = [...new Set(settings.secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
  const log: Logger = o.verbose
    ? pino({ level: "info", base: { model: o.model.label }, hooks: { streamWrite: (line) => redactSecrets(line, secrets) } }, pino.destination(2))
    : pino({ level: "silent" });
  const jules = await createOpenJules(settings, { log });
  await (await jules.runtime()).startWorker();
  return {
    jules,
    settings,
    async stop() {
      await jules.queue.idle();
      await jules.stop(5000);
    },
  };
}
