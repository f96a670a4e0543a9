import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger as ProbotLogger } from "probot";
import type { Logger } from "../../src/domain/logger.ts";
import { consoleLogger } from "../../src/log.ts";
import type { OpenQueueOptions } from "../../src/queue/open.ts";
import type { OpenStoreOptions } from "../../src/store/open.ts";

function lines(): { stream: Writable; read: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => void (chunks.push(String(chunk)), done()) });
  return {
    stream,
    read: () =>
      chunks
        .join("")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
  };
}

describe("Logger", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is what pino's and Probot's loggers are, details first and the message second", () => {
    expectTypeOf<ProbotLogger>().toExtend<Logger>();
    const out = lines();
    const log: Logger = pino({ base: null, timestamp: false }, out.stream);
    log.info({ jobId: "plan:1:1" }, "started");
    log.warn({ jobId: "plan:1:1", attempt: 2 }, "lease lost");
    log.error({ error: "refused" }, "database down");
    expect(out.read()).toEqual([
      { level: 30, jobId: "plan:1:1", msg: "started" },
      { level: 40, jobId: "plan:1:1", attempt: 2, msg: "lease lost" },
      { level: 50, error: "refused", msg: "database down" },
    ]);
  });

  it("is what the store and the queue take", () => {
    expectTypeOf<NonNullable<OpenQueueOptions["logger"]>>().toEqualTypeOf<Logger>();
    expectTypeOf<NonNullable<OpenStoreOptions["logger"]>>().toEqualTypeOf<Logger>();
  });

  it("consoleLogger, the fallback when none is given, names its component and keeps the details", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const log = consoleLogger("queue");
    log.warn({ jobId: "a" }, "lease lost");
    log.error({ error: "x" }, "redis down");
    log.info({}, "hello");
    expect(warn).toHaveBeenCalledWith("[openjules queue] lease lost", { jobId: "a" });
    expect(error).toHaveBeenCalledWith("[openjules queue] redis down", { error: "x" });
    expect(info).toHaveBeenCalledWith("[openjules queue] hello", {});
  });
});
