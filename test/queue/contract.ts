/**
 * The JobQueue contract: one suite every queue implementation runs (the
 * embedded SQLite queue here, BullMQ later). `queueContract(name, makeBackend)`
 * registers the describe/it blocks. The backend fixture opens any number of
 * queue instances on one shared backend (each like a separate process), can
 * crash one the way a killed process dies (no stop, leases not handed back),
 * and cleans up. Every instance a test opens is closed after it.
 */
import { afterEach, beforeEach, describe } from "vitest";
import type { JobQueue } from "../../src/queue/port.ts";
import { basicCases } from "./contract-basics.ts";
import { processCases } from "./contract-processes.ts";
import { workerCases } from "./contract-workers.ts";

export interface QueueTestOptions {
  /** Lease of jobs this instance runs. Fixtures default to a generous one (seconds). */
  leaseMs?: number;
  /** Default attempts per job. Fixtures default to 3. */
  attempts?: number;
  /** First retry delay. Fixtures default to a few milliseconds. */
  backoffMs?: number;
}

export interface QueueBackend {
  /** A new queue instance on the shared backend, polling often (tens of ms). */
  open(options?: QueueTestOptions): Promise<JobQueue>;
  /** Kills an instance like SIGKILL would: nothing is stopped or handed back. */
  crash(queue: JobQueue): Promise<void>;
  /** The shared backend as test/helpers/queue-child.ts takes it: a SQLite file, or the Redis URL and key prefix. */
  childArgs: string[];
  cleanup(): Promise<void>;
}

export interface QueueContext {
  /** Opens an instance that is closed after the test. */
  open(options?: QueueTestOptions): Promise<JobQueue>;
  crash(queue: JobQueue): Promise<void>;
  /** The current test's backend as a worker process opens it (see QueueBackend). */
  childArgs(): string[];
}

/** The in-process cases (the unit project runs the embedded queue's). */
export function queueContract(name: string, makeBackend: () => Promise<QueueBackend>): void {
  contractSuite(`JobQueue contract: ${name}`, makeBackend, (context) => {
    basicCases(context);
    workerCases(context);
  });
}

/** The cases with worker processes and long leases (integration: each backend runs them from a file the integration project holds). */
export function queueProcessContract(name: string, makeBackend: () => Promise<QueueBackend>): void {
  contractSuite(`JobQueue contract between processes: ${name}`, makeBackend, processCases);
}

function contractSuite(title: string, makeBackend: () => Promise<QueueBackend>, register: (context: QueueContext) => void): void {
  describe(title, { timeout: 120_000 }, () => {
    let backend: QueueBackend | undefined;
    let opened: JobQueue[] = [];
    beforeEach(async () => {
      backend = await makeBackend();
    });
    afterEach(async () => {
      for (const queue of opened.reverse()) await queue.close();
      opened = [];
      await backend?.cleanup();
      backend = undefined;
    });
    const context: QueueContext = {
      async open(options) {
        if (!backend) throw new Error("no queue backend outside a test");
        const queue = await backend.open(options);
        opened.push(queue);
        return queue;
      },
      crash: (queue) => backend!.crash(queue),
      childArgs: () => backend!.childArgs,
    };
    register(context);
  });
}
