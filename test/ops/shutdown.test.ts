import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { runShutdown } from "../../src/ops/shutdown.ts";

function recorder() {
  const lines: { level: string; details: Record<string, unknown>; message: string }[] = [];
  let exited!: (code: number) => void;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const log = {
    info: (details: Record<string, unknown>, message: string) => void lines.push({ level: "info", details, message }),
    error: (details: Record<string, unknown>, message: string) => void lines.push({ level: "error", details, message }),
  };
  return { lines, exit, log, exitFn: (code: number) => exited(code) };
}

describe("runShutdown", () => {
  it("exits 1 at the deadline, naming the steps still open and what they report", async () => {
    const r = recorder();
    const order: string[] = [];
    void runShutdown(
      [
        [
          { name: "web server", run: async () => void order.push("web") },
          { name: "worker", run: () => new Promise(() => undefined), detail: () => "1 sandboxed command running" },
        ],
        [{ name: "store", run: async () => void order.push("store") }],
      ],
      { deadlineMs: 200, log: r.log, exit: r.exitFn },
    );
    assert.equal(await r.exit, 1);
    assert.deepEqual(order, ["web"], "a later group waits for the one before it");
    const last = r.lines.at(-1)!;
    assert.equal(last.level, "error");
    assert.deepEqual(last.details.still, ["worker (1 sandboxed command running)"]);
    assert.match(last.message, /within 200 ms.*worker \(1 sandboxed command running\) still open/);
  });

  it("exits 0 when every step finishes, going on past a step that fails", async () => {
    const r = recorder();
    const order: string[] = [];
    void runShutdown([[{ name: "web server", run: async () => Promise.reject(new Error("boom")) }], [{ name: "store", run: async () => void order.push("store") }]], {
      deadlineMs: 5000,
      log: r.log,
      exit: r.exitFn,
    });
    assert.equal(await r.exit, 0);
    assert.deepEqual(order, ["store"]);
    assert.ok(r.lines.some((l) => l.level === "error" && /web server failed/.test(l.message)));
  });
});
