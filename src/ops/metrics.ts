/**
 * The process's Prometheus metrics (prom-client, on its own Registry so
 * nothing global leaks between processes or tests): default process metrics
 * plus the openjules_* series. Events are recorded through explicit methods
 * (`webhook`, `phase`, `llmUsage`, ...); the two gauges that describe shared
 * state (tasks by state, queue depth) are read from their sources by `render`
 * (each scrape), the task counts cached for a few seconds. A source that
 * fails keeps the scrape working: the gauge keeps its last value and
 * `openjules_metrics_source_errors_total` counts the failure.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { TaskState } from "../domain/model.ts";
import { cached } from "./cached.ts";

export type WebhookOutcome = "queued" | "duplicate" | "ignored" | "error";
export type SandboxOutcome = "passed" | "failed" | "timeout" | "killed" | "refused" | "error";

export interface MetricsSources {
  /** Tasks per state (states left out are reported as 0). */
  taskCounts?: () => Promise<Partial<Record<TaskState, number>>>;
  /** Jobs waiting in the queue. */
  queueDepth?: () => Promise<number>;
}

export interface MetricsOptions {
  sources?: MetricsSources;
  /** How long task counts are reused between scrapes. Default 5 s. */
  taskCountsCacheMs?: number;
  /** Node.js process metrics (CPU, memory, event loop lag, ...). Default true. */
  defaultMetrics?: boolean;
  /** Told when a source fails during a scrape (the process logger, typically). */
  onSourceError?: (source: "task_counts" | "queue_depth", error: unknown) => void;
}

const SECONDS_LONG = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600];
const SECONDS_SHORT = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300];

export class Metrics {
  readonly registry = new Registry();
  readonly #webhooks = this.#counter("openjules_webhooks_total", "Webhook deliveries received, by event and outcome", ["event", "outcome"]);
  readonly #phases = new Histogram({
    name: "openjules_phase_duration_seconds",
    help: "Time tasks spent in a phase (state), recorded when they leave it",
    labelNames: ["phase"],
    buckets: SECONDS_LONG,
    registers: [this.registry],
  });
  readonly #finished = this.#counter("openjules_tasks_finished_total", "Tasks that reached a final state in this process, by state", ["state"]);
  readonly #jobWait = new Histogram({
    name: "openjules_job_wait_seconds",
    help: "Time jobs waited in the queue before a worker took them",
    labelNames: ["name"],
    buckets: SECONDS_SHORT,
    registers: [this.registry],
  });
  readonly #tokens = this.#counter("openjules_llm_tokens_total", "LLM tokens used, by provider, model and direction (input/output)", ["provider", "model", "direction"]);
  readonly #llmCalls = this.#counter("openjules_llm_calls_total", "LLM calls made, by provider and model", ["provider", "model"]);
  readonly #cost = this.#counter("openjules_llm_cost_usd_total", "Estimated LLM cost in US dollars, by provider and model", ["provider", "model"]);
  readonly #sandbox = this.#counter("openjules_sandbox_runs_total", "Repository commands run in the sandbox, by outcome", ["outcome"]);
  readonly #github = this.#counter("openjules_github_requests_total", "GitHub API requests, by method and HTTP status (0: no response)", ["method", "status"]);
  readonly #rateLimit = new Gauge({
    name: "openjules_github_rate_limit_remaining",
    help: "Requests left in the current GitHub rate-limit window, as last reported, by resource",
    labelNames: ["resource"],
    registers: [this.registry],
  });
  readonly #redacted = this.#counter("openjules_secrets_redacted_total", "Secrets replaced by a marker in a request to GitHub, by rule", ["rule"]);
  readonly #sourceErrors = this.#counter("openjules_metrics_source_errors_total", "Scrapes in which a gauge's source failed, by source", ["source"]);
  readonly #sources: MetricsSources;
  readonly #taskCounts: (() => Promise<Partial<Record<TaskState, number>>>) | null;
  readonly #onSourceError: MetricsOptions["onSourceError"];
  readonly #tasks: Gauge<"state"> | null;
  readonly #depth: Gauge | null;

  constructor(options: MetricsOptions = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.#sources = options.sources ?? {};
    this.#taskCounts = this.#sources.taskCounts ? cached(this.#sources.taskCounts, options.taskCountsCacheMs ?? 5_000) : null;
    this.#onSourceError = options.onSourceError;
    this.#tasks = this.#taskCounts
      ? new Gauge({ name: "openjules_tasks", help: "Live tasks by state, read from the task store when scraped", labelNames: ["state"], registers: [this.registry] })
      : null;
    this.#depth = this.#sources.queueDepth
      ? new Gauge({ name: "openjules_queue_depth", help: "Jobs waiting in the queue (not running), read when scraped", registers: [this.registry] })
      : null;
  }

  /** A webhook delivery and what the intake did with it. */
  webhook(event: string, outcome: WebhookOutcome): void {
    this.#webhooks.inc({ event, outcome });
  }

  /** Time a task spent in a phase (a task state such as planning, awaiting_approval, working). */
  phase(phase: string, ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.#phases.observe({ phase }, ms / 1000);
  }

  /** A task reached a final state (done, failed, cancelled). */
  taskFinished(state: TaskState): void {
    this.#finished.inc({ state });
  }

  /** How long a job waited between being enqueued (or becoming due) and starting. */
  jobWait(name: string, ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.#jobWait.observe({ name }, ms / 1000);
  }

  /** One LLM call's usage; `costUsd` when the price is known. */
  llmUsage(provider: string, model: string, usage: { inputTokens: number; outputTokens: number; costUsd?: number }): void {
    this.#llmCalls.inc({ provider, model });
    if (usage.inputTokens > 0) this.#tokens.inc({ provider, model, direction: "input" }, usage.inputTokens);
    if (usage.outputTokens > 0) this.#tokens.inc({ provider, model, direction: "output" }, usage.outputTokens);
    if (usage.costUsd !== undefined && usage.costUsd > 0) this.#cost.inc({ provider, model }, usage.costUsd);
  }

  sandboxRun(outcome: SandboxOutcome): void {
    this.#sandbox.inc({ outcome });
  }

  /** A GitHub API response (status 0 when none came), with `x-ratelimit-remaining` when GitHub sent it. */
  githubCall(method: string, status: number, remaining?: number, resource = "core"): void {
    this.#github.inc({ method: method.toUpperCase(), status: String(status) });
    if (remaining !== undefined && Number.isFinite(remaining)) this.#rateLimit.set({ resource }, remaining);
  }

  /** A secret matching `rule` was redacted from a request to GitHub. */
  secretRedacted(rule: string): void {
    this.#redacted.inc({ rule });
  }

  /** The exposition text for GET /metrics, after reading the gauges' sources. */
  async render(): Promise<string> {
    await Promise.all([
      this.#read("task_counts", this.#taskCounts, (counts) => {
        for (const [state, n] of Object.entries(counts)) this.#tasks?.set({ state }, n ?? 0);
      }),
      this.#read("queue_depth", this.#sources.queueDepth, (depth) => this.#depth?.set(depth)),
    ]);
    return this.registry.metrics();
  }

  async #read<T>(source: "task_counts" | "queue_depth", read: (() => Promise<T>) | null | undefined, apply: (value: T) => void): Promise<void> {
    if (!read) return;
    try {
      apply(await read());
    } catch (error) {
      this.#sourceErrors.inc({ source });
      this.#onSourceError?.(source, error);
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
