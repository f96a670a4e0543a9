import { hkdfSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { agentSecrets, type ExternalAgentDefinition, isInlineJson, parseAgentDefinitions } from "./config/agent-definitions.ts";
import { parseAllowList } from "./security/egress-allowlist.ts";
import { secretValues } from "./security/secret-values.ts";

/**
 * The process's settings: `process.env` is read here, once, validated into one
 * typed object, and handed to whatever needs it. Nothing else reads the
 * environment. `.env.example` documents each variable.
 */

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const num = (def: number) => z.coerce.number().positive().default(def);
const list = z
  .string()
  .default("")
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  );
const optionalText = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() !== "" ? s.trim() : undefined));
const url = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() !== "" ? s.trim() : undefined))
  .pipe(z.url({ message: "must be a URL such as https://example.com/v1" }).optional());

const EnvSchema = z.object({
  APP_ID: z.coerce.number({ message: "must be the numeric App ID shown on the GitHub App's settings page" }).int().positive(),
  PRIVATE_KEY: optionalText,
  PRIVATE_KEY_PATH: optionalText,
  WEBHOOK_SECRET: z.string({ message: "is required: the webhook secret you set when registering the GitHub App" }).min(1, "must not be empty"),
  WEBHOOK_PATH: z.string().startsWith("/").default("/api/github/webhooks"),
  WEBHOOK_PROXY_URL: url,
  PORT: int(3000, 1),
  HOST: z.string().default("0.0.0.0"),
  JULES_HTTP_BODY_TIMEOUT_MS: int(10_000, 100),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  GHE_HOST: optionalText,
  GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),

  JULES_PROVIDER: z.enum(["openai", "anthropic", "openai-compatible", "none"]).default("none"),
  JULES_MODEL: optionalText,
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: url,
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: url,
  JULES_ALLOWED_MODELS: list,
  JULES_MAX_TURNS: int(40, 1),
  JULES_MAX_TOKENS: int(2_000_000, 1),
  JULES_MAX_COST_USD: num(5),
  JULES_MAX_MINUTES: num(30),
  JULES_LLM_TIMEOUT_MS: int(120_000, 1),
  JULES_PRICES: optionalText,

  JULES_DATA_DIR: z.string().default("./.jules-data"),
  JULES_ALLOWED_BOTS: list,
  JULES_WORKER_CONCURRENCY: int(2, 1),
  JULES_JOB_ATTEMPTS: int(3, 1),
  JULES_JOB_LEASE_MS: int(60_000, 100),
  JULES_GITHUB_WRITE_INTERVAL_MS: int(1000, 0),
  JULES_GITHUB_MAX_RETRIES: int(3, 0),

  JULES_SANDBOX: z.enum(["bubblewrap", "unsafe"]).default("bubblewrap"),
  JULES_BWRAP_PATH: z.string().default("bwrap"),
  JULES_SANDBOX_MEMORY_MB: int(4096, 1024),
  JULES_SANDBOX_PROCESSES: int(512, 16),
  JULES_SANDBOX_OUTPUT_KB: int(256, 16),
  JULES_SETUP_NETWORK: z.enum(["off", "public"], { message: "must be off or public" }).default("public"),
  JULES_SETUP_ALLOW_HOSTS: z.string().default(""),
  JULES_SANDBOX_TMPFS_MB: int(1024, 16),
  JULES_SANDBOX_READONLY_PATHS: z.string().default(""),
  JULES_TASK_DISK_MB: int(16_384, 64),
  JULES_COMMAND_TIMEOUT_MIN: num(10),
  JULES_CACHE_MAX_GB: num(20),
  JULES_ENV_SNAPSHOT_MB: int(10_240, 0),
  JULES_REPO_MAX_MB: num(2048),
  JULES_CHECKOUT_MAX_MB: num(8192),
  JULES_CHECKOUT_MAX_FILES: int(500_000, 1),
  JULES_WORKSPACE_SPARES: int(1, 0),
  JULES_CONTEXT_WINDOW: z.coerce.number().int().min(2048).optional(),

  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
  ),
  JULES_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1 to 64 letters, digits, '_', '.' or '-'")
    .default("openjules"),
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
  ),
  JULES_API_TOKEN: optionalText.pipe(z.string().min(16, "must be at least 16 characters (it protects the task API)").optional()),
  JULES_API_TOKENS: optionalText,
  JULES_READY_MIN_FREE_MB: int(1024, 0),
  JULES_EVENT_LOG_MAX: int(5000, 100),
  JULES_SHUTDOWN_GRACE_MS: int(30_000, 0),
  // The web app (src/web): sign-in with the GitHub App's OAuth client, sessions, user keys, spoken summaries.
  GITHUB_CLIENT_ID: optionalText,
  GITHUB_CLIENT_SECRET: optionalText,
  JULES_PUBLIC_URL: url,
  JULES_OPERATORS: list,
  JULES_SESSION_HOURS: num(24),
  JULES_ALLOW_USER_KEYS: z.enum(["true", "false"]).default("false"),
  JULES_SECRET_KEY: optionalText,
  JULES_TTS: z.enum(["auto", "off"]).default("auto"),
  JULES_FIRST_RUN: z.enum(["auto", "off"]).default("auto"),
  JULES_ASSIGNEE: optionalText,
  JULES_AGENTS: optionalText,
});

/** Every environment variable OpenJules reads (each is documented in .env.example). */
export const SETTING_NAMES = Object.keys(EnvSchema.shape);

export type ProviderName = "openai" | "anthropic" | "openai-compatible";

export interface Settings {
  github: {
    appId: number;
    privateKey: string;
    webhookSecret: string;
    webhookPath: string;
    webhookProxyUrl: string | undefined;
    /** REST API base URL: api.github.com, or `<protocol>://<GHE_HOST>/api/v3`. */
    baseUrl: string | undefined;
    /** Pause between two writes to GitHub for one installation. */
    writeIntervalMs: number;
    maxRetries: number;
    /** Bots (by app slug, e.g. `dependabot`, or login `name[bot]`) whose commands are honoured. */
    allowedBots: string[];
    /** JULES_ASSIGNEE: the default of jules.yml's `assignee` (assigning an issue to this login starts a task); undefined: none. */
    assignee: string | undefined;
  };
  /** bodyTimeoutMs: time for a request body to arrive once its head has (slow or endless bodies are cut). */
  server: { port: number; host: string; bodyTimeoutMs: number };
  log: { level: z.output<typeof EnvSchema>["LOG_LEVEL"]; format: "json" | "pretty" };
  dataDir: string;
  agent: {
    provider: ProviderName | "none";
    model: string | undefined;
    openai: { apiKey: string | undefined; baseUrl: string | undefined };
    anthropic: { apiKey: string | undefined; baseUrl: string | undefined };
    /** `provider:model` pairs (or bare model names) a repository may choose in jules.yml. */
    allowedModels: string[];
    caps: { maxTurns: number; maxTokens: number; maxCostUsd: number; maxMinutes: number };
    timeoutMs: number;
    /** Context window of the model in tokens, overriding the built-in table (JULES_CONTEXT_WINDOW). */
    contextWindow?: number | undefined;
    /** Operator price table override (JSON text or a path to a JSON file), parsed by agent/usage. */
    prices: string | undefined;
    /** JULES_AGENTS: the external agents a repository may choose (JSON text or a path to a JSON file), parsed by the agent backends; undefined: builtin only. */
    externalAgents?: string | undefined;
    /** JULES_AGENTS parsed at start-up (config/agent-definitions.ts): their secret variables are in `secrets`. */
    external?: ExternalAgentDefinition[] | undefined;
  };
  worker: { concurrency: number; jobAttempts: number; leaseMs: number };
  sandbox: {
    mode: "bubblewrap" | "unsafe";
    bwrapPath: string;
    memoryBytes: number;
    processes: number;
    outputKeepBytes: number;
    commandTimeoutMs: number;
    /** Setup's network (JULES_SETUP_NETWORK, JULES_SETUP_ALLOW_HOSTS): `off` refuses it whatever jules.yml says; else public hosts through the egress proxy. */
    setupNetwork: { mode: "off" | "public"; allowHosts: string[] };
    /** Size of each private tmpfs (/tmp, /dev/shm, a tmpfs HOME); charged to the command's memory where cgroups are delegated. */
    tmpfsBytes: number;
    /** What a task's working copy and HOME may take on disk (checked while and after each command). */
    diskQuotaBytes: number;
    /** Host directories bound read-only at the same place in the sandbox (JULES_SANDBOX_READONLY_PATHS): toolchains outside /usr. */
    readOnlyPaths: string[];
  };
  /** Cap of the environment snapshots together (JULES_ENV_SNAPSHOT_MB, LRU); 0: none are kept (always 0 in unsafe mode). */
  environmentSnapshots: { maxBytes: number };
  /** checkoutMaxBytes/Files: a commit bigger than this when checked out is refused before checkout. */
  workspace: { cacheMaxBytes: number; repoMaxBytes: number; checkoutMaxBytes: number; checkoutMaxFiles: number; sparesPerRepo: number };
  /** PostgreSQL for the task store when set (else SQLite under dataDir). */
  databaseUrl: string | undefined;
  /** Redis for the job queue (BullMQ) when set (else the embedded queue); also carries live event notices between processes. */
  redisUrl: string | undefined;
  /** Events kept per task in its event log (the newest; older ones are pruned). */
  eventLogMax: number;
  /** Key prefix of the queue in Redis, so several deployments can share one Redis. */
  redisPrefix: string;
  /** This process's own secrets in every form they may be written in (security/secret-values.ts): redacted from logs, transcripts and everything sent to GitHub. */
  secrets: readonly string[];
  ops: {
    /** Bearer token of the read-only task API; the API is off without one. */
    apiToken: string | undefined;
    /** Path of the personal token file (src/access/token-file.ts; it holds only hashes); personal tokens are off without one. */
    apiTokensFile: string | undefined;
    readyMinFreeBytes: number;
    /** How long SIGTERM waits for running jobs before handing them back. */
    shutdownGraceMs: number;
  };
  /** The web app and its sign-in (src/web). */
  web: WebSettings;
}

export interface WebSettings {
  /** JULES_PUBLIC_URL without a trailing slash: where people reach this server (OAuth callback, "watch live" links); undefined when not set. */
  publicUrl: string | undefined;
  /** Where the web app is served (its pages and assets). */
  basePath: "/app";
  /** The GitHub App's OAuth client (GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET); null: sign-in is off. */
  oauth: { clientId: string; clientSecret: string } | null;
  /** GitHub web host for the OAuth flow: https://github.com, or `<protocol>://<GHE_HOST>`. */
  webHost: string;
  /** JULES_OPERATORS: GitHub logins (lower case) that act as the operator when signed in. */
  operators: string[];
  /** How long a session lasts after sign-in (JULES_SESSION_HOURS). */
  sessionMs: number;
  /** JULES_ALLOW_USER_KEYS: signed-in users may store their own provider API keys (needs JULES_SECRET_KEY). */
  allowUserKeys: boolean;
  /**
   * The 32-byte key for AES-256-GCM at rest (user provider keys, users' GitHub tokens): JULES_SECRET_KEY
   * (base64 or hex of 32 bytes) when set, else derived from the App's private key (HKDF-SHA256), which
   * serves the sessions' GitHub tokens only; user keys require JULES_SECRET_KEY itself.
   */
  secretKey: Buffer;
  /** True when secretKey came from JULES_SECRET_KEY. */
  secretKeyGiven: boolean;
  /** JULES_TTS: `auto` looks for espeak-ng (then espeak) on PATH for spoken summaries; `off` leaves them to the browser. */
  tts: "auto" | "off";
  /** JULES_FIRST_RUN: `auto` serves the first-run page when the App has no credentials and the server is interactive; `off` refuses as before. */
  firstRun: "auto" | "off";
}

export class SettingsError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`OpenJules cannot start, fix these settings (see .env.example):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "SettingsError";
    this.problems = problems;
  }
}

export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((i) => `${String(i.path[0] ?? "?")} ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const privateKey = readPrivateKey(e.PRIVATE_KEY, e.PRIVATE_KEY_PATH, problems);
  const provider = e.JULES_PROVIDER;
  if (provider !== "none" && !e.JULES_MODEL) problems.push(`JULES_MODEL is required when JULES_PROVIDER is ${provider}`);
  if (provider === "openai" && !e.OPENAI_API_KEY) problems.push("OPENAI_API_KEY is required when JULES_PROVIDER is openai");
  if (provider === "anthropic" && !e.ANTHROPIC_API_KEY) problems.push("ANTHROPIC_API_KEY is required when JULES_PROVIDER is anthropic");
  if (provider === "openai-compatible" && !e.OPENAI_BASE_URL) {
    problems.push("OPENAI_BASE_URL is required when JULES_PROVIDER is openai-compatible (e.g. http://localhost:11434/v1 for Ollama)");
  }
  if (e.JULES_SANDBOX === "unsafe" && e.JULES_WORKSPACE_SPARES > 0) {
    problems.push("JULES_WORKSPACE_SPARES must be 0 when JULES_SANDBOX is unsafe (unconfined commands could leave files behind for the next task)");
  }
  if (e.JULES_TASK_DISK_MB <= e.JULES_CHECKOUT_MAX_MB) {
    problems.push(
      `JULES_TASK_DISK_MB (${e.JULES_TASK_DISK_MB}) must be more than JULES_CHECKOUT_MAX_MB (${e.JULES_CHECKOUT_MAX_MB}): the working copy itself counts against the task's disk quota`,
    );
  }
  let setupAllowHosts: string[] = [];
  try {
    setupAllowHosts = parseAllowList(e.JULES_SETUP_ALLOW_HOSTS).map((a) => (a.port === null ? a.host : `${a.host.includes(":") ? `[${a.host}]` : a.host}:${a.port}`));
  } catch (error) {
    problems.push(`JULES_SETUP_ALLOW_HOSTS: ${(error as Error).message}`);
  }
  const web = webSettings(e, privateKey, problems);
  const readOnlyPaths = sandboxReadOnlyPaths(e.JULES_SANDBOX_READONLY_PATHS, resolve(e.JULES_DATA_DIR), problems);
  const external = externalAgents(e.JULES_AGENTS, env, problems);
  if (problems.length > 0) throw new SettingsError(problems);

  return {
    github: {
      appId: e.APP_ID,
      privateKey,
      webhookSecret: e.WEBHOOK_SECRET,
      webhookPath: e.WEBHOOK_PATH,
      webhookProxyUrl: e.WEBHOOK_PROXY_URL,
      baseUrl: e.GHE_HOST ? `${e.GHE_PROTOCOL}://${e.GHE_HOST}/api/v3` : undefined,
      writeIntervalMs: e.JULES_GITHUB_WRITE_INTERVAL_MS,
      maxRetries: e.JULES_GITHUB_MAX_RETRIES,
      allowedBots: e.JULES_ALLOWED_BOTS,
      assignee: e.JULES_ASSIGNEE,
    },
    server: { port: e.PORT, host: e.HOST, bodyTimeoutMs: e.JULES_HTTP_BODY_TIMEOUT_MS },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    dataDir: resolve(e.JULES_DATA_DIR),
    agent: {
      provider,
      model: e.JULES_MODEL,
      openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
      anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL },
      allowedModels: e.JULES_ALLOWED_MODELS,
      caps: { maxTurns: e.JULES_MAX_TURNS, maxTokens: e.JULES_MAX_TOKENS, maxCostUsd: e.JULES_MAX_COST_USD, maxMinutes: e.JULES_MAX_MINUTES },
      timeoutMs: e.JULES_LLM_TIMEOUT_MS,
      contextWindow: e.JULES_CONTEXT_WINDOW,
      prices: e.JULES_PRICES,
      externalAgents: e.JULES_AGENTS,
      external,
    },
    worker: { concurrency: e.JULES_WORKER_CONCURRENCY, jobAttempts: e.JULES_JOB_ATTEMPTS, leaseMs: e.JULES_JOB_LEASE_MS },
    sandbox: {
      mode: e.JULES_SANDBOX,
      bwrapPath: e.JULES_BWRAP_PATH,
      memoryBytes: e.JULES_SANDBOX_MEMORY_MB * 1024 ** 2,
      processes: e.JULES_SANDBOX_PROCESSES,
      outputKeepBytes: e.JULES_SANDBOX_OUTPUT_KB * 1024,
      commandTimeoutMs: Math.round(e.JULES_COMMAND_TIMEOUT_MIN * 60_000),
      setupNetwork: { mode: e.JULES_SETUP_NETWORK, allowHosts: setupAllowHosts },
      tmpfsBytes: e.JULES_SANDBOX_TMPFS_MB * 1024 ** 2,
      diskQuotaBytes: e.JULES_TASK_DISK_MB * 1024 ** 2,
      readOnlyPaths,
    },
    // Unconfined commands could outlive setup and change what is being copied: no snapshots in unsafe mode.
    environmentSnapshots: { maxBytes: e.JULES_SANDBOX === "unsafe" ? 0 : e.JULES_ENV_SNAPSHOT_MB * 1024 ** 2 },
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    eventLogMax: e.JULES_EVENT_LOG_MAX,
    redisPrefix: e.JULES_REDIS_PREFIX,
    secrets: secretValues({
      webhookSecret: e.WEBHOOK_SECRET,
      privateKey,
      apiKeys: [e.OPENAI_API_KEY, e.ANTHROPIC_API_KEY, e.GITHUB_CLIENT_SECRET, e.JULES_SECRET_KEY, ...agentSecrets(external)],
      apiToken: e.JULES_API_TOKEN,
    }),
    ops: {
      apiToken: e.JULES_API_TOKEN,
      apiTokensFile: e.JULES_API_TOKENS && resolve(e.JULES_API_TOKENS),
      readyMinFreeBytes: e.JULES_READY_MIN_FREE_MB * 1024 ** 2,
      shutdownGraceMs: e.JULES_SHUTDOWN_GRACE_MS,
    },
    web,
    workspace: {
      cacheMaxBytes: Math.round(e.JULES_CACHE_MAX_GB * 1024 ** 3),
      repoMaxBytes: Math.round(e.JULES_REPO_MAX_MB * 1024 ** 2),
      checkoutMaxBytes: Math.round(e.JULES_CHECKOUT_MAX_MB * 1024 ** 2),
      checkoutMaxFiles: e.JULES_CHECKOUT_MAX_FILES,
      sparesPerRepo: e.JULES_WORKSPACE_SPARES,
    },
  };
}

function webSettings(e: z.output<typeof EnvSchema>, privateKey: string, problems: string[]): WebSettings {
  if (Boolean(e.GITHUB_CLIENT_ID) !== Boolean(e.GITHUB_CLIENT_SECRET)) {
    problems.push("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET go together (both from the GitHub App's settings page, or neither: sign-in off)");
  }
  let given: Buffer | null = null;
  if (e.JULES_SECRET_KEY) {
    given = secretKeyBytes(e.JULES_SECRET_KEY);
    if (!given) problems.push("JULES_SECRET_KEY must be 32 random bytes written as base64 or hex: make one with `openssl rand -base64 32`");
  }
  const allowUserKeys = e.JULES_ALLOW_USER_KEYS === "true";
  if (allowUserKeys && !e.JULES_SECRET_KEY)
    problems.push("JULES_SECRET_KEY is required when JULES_ALLOW_USER_KEYS is true (it encrypts the keys at rest): make one with `openssl rand -base64 32`");
  const derived = () => Buffer.from(hkdfSync("sha256", privateKey, "openjules", "openjules web session tokens", 32));
  return {
    publicUrl: e.JULES_PUBLIC_URL?.replace(/\/+$/, ""),
    basePath: "/app",
    oauth: e.GITHUB_CLIENT_ID && e.GITHUB_CLIENT_SECRET ? { clientId: e.GITHUB_CLIENT_ID, clientSecret: e.GITHUB_CLIENT_SECRET } : null,
    webHost: e.GHE_HOST ? `${e.GHE_PROTOCOL}://${e.GHE_HOST}` : "https://github.com",
    operators: e.JULES_OPERATORS.map((l) => l.toLowerCase()),
    sessionMs: Math.round(e.JULES_SESSION_HOURS * 3_600_000),
    allowUserKeys,
    secretKey: given ?? (privateKey ? derived() : Buffer.alloc(32)),
    secretKeyGiven: given !== null,
    tts: e.JULES_TTS,
    firstRun: e.JULES_FIRST_RUN,
  };
}

/** 32 bytes from base64 (standard or URL-safe) or 64 hex digits; null otherwise. */
function secretKeyBytes(text: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

/** JULES_AGENTS: JSON text or the path of a file holding it; problems name the entry and the field. */
function externalAgents(value: string | undefined, env: Record<string, string | undefined>, problems: string[]): ExternalAgentDefinition[] {
  if (!value?.trim()) return [];
  let text = value;
  if (!isInlineJson(value)) {
    try {
      text = readFileSync(value.trim(), "utf8");
    } catch (error) {
      problems.push(`JULES_AGENTS names the file ${value.trim()}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      return [];
    }
  }
  const parsed = parseAgentDefinitions(text, env);
  problems.push(...parsed.problems);
  return parsed.agents;
}

function readPrivateKey(inline: string | undefined, path: string | undefined, problems: string[]): string {
  let key = inline;
  if (!key && path) {
    try {
      key = readFileSync(path, "utf8");
    } catch (error) {
      problems.push(`PRIVATE_KEY_PATH points to ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      return "";
    }
  }
  if (!key) {
    problems.push("PRIVATE_KEY or PRIVATE_KEY_PATH is required: the .pem key downloaded from the GitHub App's settings page");
    return "";
  }
  // Single-line forms: "\n" escapes, or the whole PEM base64-encoded.
  key = key.replace(/\\n/g, "\n");
  if (!key.includes("-----BEGIN")) {
    const decoded = Buffer.from(key, "base64").toString("utf8");
    if (decoded.includes("-----BEGIN")) key = decoded;
    else problems.push("PRIVATE_KEY is not a PEM private key (expected -----BEGIN ... PRIVATE KEY-----, raw or base64-encoded)");
  }
  return key;
}

/**
 * JULES_SANDBOX_READONLY_PATHS: comma-separated absolute host directories the
 * sandbox sees read-only (toolchains outside the system directories). Never
 * `/`, and never the data directory, one of its parents or anything inside it
 * (other tasks' working copies, the mirrors).
 */
function sandboxReadOnlyPaths(value: string, dataDir: string, problems: string[]): string[] {
  const paths: string[] = [];
  for (const raw of value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const path = resolve(raw);
    const inside = (a: string, b: string) => a === b || a.startsWith(`${b}/`);
    if (!raw.startsWith("/") || raw.split("/").includes("..")) problems.push(`JULES_SANDBOX_READONLY_PATHS: "${raw}" must be an absolute path without ".."`);
    else if (path === "/") problems.push('JULES_SANDBOX_READONLY_PATHS: "/" would show the whole host to repository code; name the toolchain\'s directory (e.g. /opt/go)');
    else if (inside(path, dataDir) || inside(dataDir, path))
      problems.push(`JULES_SANDBOX_READONLY_PATHS: "${raw}" overlaps JULES_DATA_DIR (${dataDir}), which holds other tasks' working copies and the mirrors`);
    else paths.push(path);
  }
  return paths;
}
