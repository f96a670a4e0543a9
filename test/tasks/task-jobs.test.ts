/**
 * The plan and execute jobs of a task, built in one place (src/tasks/task-jobs.ts)
 * and enqueued through it by every use case, the CLI's retry and reconcile.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEmbeddedQueue } from "../../src/queue/embedded/index.ts";
import type { JobQueue } from "../../src/queue/port.ts";
import { enqueueTaskJob, taskJob } from "../../src/tasks/task-jobs.ts";
import { memoryLogger } from "../queue/memory-logger.ts";

const task = { id: "t-1", planVersion: 1 };

describe("a task's plan and execute jobs", () => {
  let dir: string;
  let queue: JobQueue;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openjules-task-jobs-"));
    queue = openEmbeddedQueue(join(dir, "q.db"), { logger: memoryLogger() });
  });
  afterAll(async () => {
    await queue.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("plans the next plan version, or executes the approved plan, with the job ids of the domain", () => {
    expect(taskJob(task, "plan")).toEqual({ id: "plan:t-1:2", name: "plan", data: { taskId: "t-1" } });
    expect(taskJob(task, { execute: "abc123" })).toEqual({ id: "execute:t-1:abc123", name: "execute", data: { taskId: "t-1" } });
  });

  it("enqueues a job once however often it is asked (redelivery, a race, a restart)", async () => {
    expect(await enqueueTaskJob(queue, task, "plan")).toBe(true);
    expect(await enqueueTaskJob(queue, task, "plan")).toBe(false);
    expect(await enqueueTaskJob(queue, task, { execute: "abc123" })).toBe(true);
    expect(await enqueueTaskJob(queue, { ...task, planVersion: 2 }, "plan")).toBe(true);
    expect(await queue.depth()).toBe(3);
  });

  it("is the only place outside the domain that writes a plan or execute job id", async () => {
    const src = join(import.meta.dirname, "../../src");
    const files = (await readdir(src, { recursive: true })).filter((f) => f.endsWith(".ts") && !f.startsWith("domain/"));
    const writers: string[] = [];
    for (const file of files) {
      if (/jobIds\.(plan|execute)\(/.test(await readFile(join(src, file), "utf8"))) writers.push(file);
    }
    expect(writers).toEqual(["tasks/task-jobs.ts"]);
  });
});
