/**
 * Shutdown that always completes. `closeHttpServer` stops listening, closes
 * idle keep-alive sockets at once and, after `waitMs` for answers in
 * progress, destroys every connection still open (an endless request body
 * or a request head that never ends would otherwise hold server.close()
 * forever). `runShutdown` runs the stop steps in order under a hard
 * deadline: if they have not all finished by then, it logs which were still
 * open (with what each reports about itself) and exits with status 1.
 */
import type { Server } from "node:http";
import type { Logger } from "../domain/logger.ts";

export interface ShutdownStep {
  name: string;
  run(): Promise<unknown>;
  /** What is still open, for the deadline's log line (connections, jobs, commands). */
  detail?(): string;
}

export interface ShutdownOptions {
  deadlineMs: number;
  log: Pick<Logger, "info" | "error">;
  exit(code: number): void;
}

/** Runs each group of steps in turn (the steps of one group at the same time), then exits 0; or exits 1 at the deadline. */
export async function runShutdown(groups: ShutdownStep[][], options: ShutdownOptions): Promise<void> {
  const open = new Map<string, ShutdownStep>();
  const deadline = setTimeout(() => {
    const still = [...open.values()].map((s) => (s.detail ? `${s.name} (${s.detail()})` : s.name));
    options.log.error(
      { still, deadlineMs: options.deadlineMs },
      `shutdown did not finish within ${options.deadlineMs} ms; exiting with ${still.join(", ") || "nothing"} still open`,
    );
    options.exit(1);
  }, options.deadlineMs);
  deadline.unref();
  for (const group of groups) {
    await Promise.all(
      group.map(async (step) => {
        open.set(step.name, step);
        try {
          await step.run();
        } catch (error) {
          options.log.error({ err: error, step: step.name }, `stopping the ${step.name} failed; shutdown goes on`);
        } finally {
          open.delete(step.name);
        }
      }),
    );
  }
  clearTimeout(deadline);
  options.log.info({}, "stopped");
  options.exit(0);
}

/** Stops an HTTP server for good: no new connections, idle ones closed now, the rest destroyed after `waitMs`. */
export function closeHttpServer(server: Server, waitMs: number): Promise<void> {
  if (!server.listening) {
    server.closeAllConnections();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), waitMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
