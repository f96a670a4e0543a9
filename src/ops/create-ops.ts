/**
 * The operator surface as the process entry uses it: `createOps` builds the
 * metrics (with the task-count and queue-depth gauges read from the store
 * and queue on scrape) and the HTTP handler for /healthz, /readyz, /metrics
 * and the task API; the decorators and the Octokit plugin record the rest.
 */
import type { Logger } from "../domain/logger.ts";
import type { JobQueue } from "../queue/port.ts";
import type { TaskStore } from "../store/port.ts";
import { createOpsHandler, type OpsHandler, type OpsRoutesOptions } from "./http-routes.ts";
import { Metrics } from "./metrics.ts";
import { liveTaskCounts } from "./task-counts.ts";

export { Metrics } from "./metrics.ts";
export type { OpsHandler } from "./http-routes.ts";

export interface OpsOptions extends Pick<OpsRoutesOptions, "apiToken" | "webBase" | "readiness" | "secrets"> {
  store: TaskStore;
  queue: JobQueue;
  dataDir: string;
  log: Pick<Logger, "warn" | "error">;
}

export function createOps(options: OpsOptions): { metrics: Metrics; handler: OpsHandler } {
  const { store, queue, log } = options;
  const metrics = new Metrics({
    sources: { taskCounts: () => liveTaskCounts(store), queueDepth: () => queue.depth() },
    onSourceError: (source, error) => log.warn({ err: error, source }, "a metrics source failed during a scrape"),
  });
  const handler = createOpsHandler({ ...options, metrics, log });
  return { metrics, handler };
}
