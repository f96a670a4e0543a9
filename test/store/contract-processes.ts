/**
 * TaskStore contract, part 5: the one-approval rule between separate OS
 * processes (each its own connection or file handle, as web and worker
 * processes have), not only between calls of one process.
 */
import { it } from "vitest";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { ContractContext } from "./contract.ts";
import { newTask } from "./fixtures.ts";

const CHILD = new URL("../helpers/approve-race-child.ts", import.meta.url).pathname;

export function processCases(t: ContractContext): void {
  it("lets exactly one of several processes approve the same plan", { timeout: 120_000 }, async () => {
    const { store, where } = t.fixture;
    const created = await store.create(newTask(), "alice", "start");
    assert.ok(created.created);
    const id = created.task.id;
    await store.transition(id, { from: "queued", to: "planning", actor: "w", reason: "r" });
    await store.transition(id, { from: "planning", to: "awaiting_approval", actor: "w", reason: "r", patch: { planHash: "h1" } });
    const children = Array.from({ length: 6 }, (_, i) => spawn(process.execPath, [CHILD, where, id, "h1", `user${i}`], { stdio: ["pipe", "pipe", "inherit"] }));
    let results: unknown[];
    try {
      const lines = children.map((c) => createInterface({ input: c.stdout! })[Symbol.asyncIterator]());
      for (const line of lines) assert.equal((await line.next()).value, "ready");
      for (const c of children) c.stdin!.write("go\n");
      results = await Promise.all(lines.map(async (line) => (await line.next()).value));
      await Promise.all(children.map((c) => (c.exitCode === null ? once(c, "exit") : undefined)));
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    }
    assert.equal(results.filter((r) => r === "won").length, 1, `results: ${results.join(", ")}`);
    assert.equal(results.filter((r) => r === "lost").length, 5);
    assert.equal((await store.history(id)).filter((e) => e.to === "approved").length, 1);
    assert.equal((await store.get(id))?.state, "approved");
  });
}
