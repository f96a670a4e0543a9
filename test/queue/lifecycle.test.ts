/**
 * The checks of start(), stop() and a closed queue that every backend shares
 * (src/queue/lifecycle.ts); the contract suites hold both backends to them.
 */
import { describe, expect, it } from "vitest";
import { assertOpen, checkGrace, checkStart } from "../../src/queue/lifecycle.ts";
import type { JobHandlers } from "../../src/queue/port.ts";

const handlers: JobHandlers = { run: async () => {}, onFailed: async () => {} };
const idle = () => ({ closed: false, started: false });

describe("the queue lifecycle checks", () => {
  it("let a start through with handlers and a positive whole concurrency", async () => {
    await expect(checkStart(idle, handlers, 4, null)).resolves.toBeUndefined();
  });

  it("refuse bad handlers or concurrency, a started queue and a closed one", async () => {
    await expect(checkStart(idle, { run: handlers.run } as JobHandlers, 1, null)).rejects.toThrow(new TypeError("start() needs handlers with run() and onFailed()."));
    await expect(checkStart(idle, handlers, 1.5, null)).rejects.toThrow(new RangeError("Concurrency must be a positive integer, got 1.5."));
    await expect(checkStart(idle, handlers, 0, null)).rejects.toThrow(RangeError);
    await expect(checkStart(() => ({ closed: false, started: true }), handlers, 1, null)).rejects.toThrow("The job queue is already started; stop() it before starting it again.");
    await expect(checkStart(() => ({ closed: true, started: false }), handlers, 1, null)).rejects.toThrow("The job queue is closed; it cannot be used after close().");
  });

  it("wait for a stop in progress, then look again (a close or another start may have come in between)", async () => {
    let state = idle();
    let finishStop!: () => void;
    const stopping = new Promise<void>((resolve) => (finishStop = resolve));
    let settled = false;
    const check = checkStart(() => state, handlers, 1, stopping).finally(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    state = { closed: true, started: false };
    finishStop();
    await expect(check).rejects.toThrow(/closed/);
  });

  it("assertOpen and checkGrace", () => {
    expect(() => assertOpen(false)).not.toThrow();
    expect(() => assertOpen(true)).toThrow(/cannot be used after close/);
    expect(checkGrace(0)).toBeNull();
    expect(checkGrace(-1)).toEqual(new RangeError("The grace period must be ≥ 0 ms, got -1."));
    expect(checkGrace(Number.NaN)).toBeInstanceOf(RangeError);
  });
});
