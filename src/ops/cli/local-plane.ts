/**
 * The control plane of this machine for the task commands without
 * --server: the same use cases the server runs (src/tasks/control), over
 * the CLI's store and queue and the composition root's GitHub App and task
 * services, with no agent (the server's workers do the work). The CLI is
 * not the process that works on tasks, so it learns of new events from
 * Redis pub/sub when REDIS_URL is set, else by polling the store (a
 * worker's in-process notices never reach it); its own writes notify that
 * feed. The plane is the composition root's (OpenJules.control()), given
 * that feed; main.ts hands this factory to CliDeps.controlPlane.
 */
import type { Logger } from "pino";
import type { Overrides } from "../../composition/open-jules.ts";
import { openEventFeed } from "../../events/open.ts";
import { createPollingFeed, type EventIdSource } from "../../events/polling.ts";
import type { Settings } from "../../settings.ts";
import type { ControlPlane } from "../../tasks/control/port.ts";
import type { Backends } from "./backends.ts";

export type LocalPlane = ControlPlane & { close(): Promise<void> };

export async function localControlPlane(
  settings: Settings,
  log: Logger,
  backends: Backends,
  overrides: Pick<Overrides, "octokitRequest" | "githubBackoffMs" | "workspaces"> = {},
): Promise<LocalPlane> {
  const { createOpenJules } = await import("../../composition/open-jules.ts");
  const feed = settings.redisUrl
    ? await openEventFeed({ redisUrl: settings.redisUrl, redisPrefix: settings.redisPrefix }, backends.store, { logger: log })
    : createPollingFeed(backends.store as TaskStoreWithIds, { logger: log });
  try {
    // The composition root wraps the store with this feed and builds the same control plane a server has.
    const jules = await createOpenJules(settings, { log, store: backends.store, feed, queue: backends.queue, agent: null, ...overrides });
    const plane = await jules.control();
    return { ...plane, close: () => feed.close() };
  } catch (error) {
    await feed.close();
    throw error;
  }
}

type TaskStoreWithIds = Backends["store"] & EventIdSource;
