/**
 * TaskStore contract, part 5: the one-approval rule, and each message taken
 * once, between separate OS processes (each its own connection or file
 * handle, as web and worker processes have), not only between calls of one
 * process.
 */
import { it } from "vitest";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { ContractContext } from "./contract.ts";
import { newTask } from "./fixtures.ts";

const CHILD = new URL("../helpers/approve-race-child.ts", import.meta.url).pathname;
const TAKER = new URL("./take-messages-child.ts", import.meta.url).pathname;

/** Starts the processes, waits until each said "ready", says "go" to all at once, and returns each one's answer line. */
async function race(argvs: string[][]): Promise<string[]> {
  const children = argvs.map((argv) => spawn(process.execPath, argv, { stdio: ["pipe", "pipe", "inherit"] }));
  try {
    const lines = children.map((c) => createInterface({ input: c.stdout! })[Symbol.asyncIterator]());
    for (const line of lines) assert.equal((await line.next()).value, "ready");
    for (const c of children) c.stdin!.write("go\n");
    const results = await Promise.all(lines.map(async (line) => String((await line.next()).value)));
    await Promise.all(children.map((c) => (c.exitCode === null ? once(c, "exit") : undefined)));
    return results;
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  }
}

export function processCases(t: ContractContext): void {
  it("lets exactly one of several processes approve the same plan", { timeout: 120_000 }, async () => {
    const { store, where } = t.fixture;
    const created = await store.create(newTask(), "alice", "start");
    assert.ok(created.created);
    const id = created.task.id;
    await store.transition(id, { from: "queued", to: "planning", actor: "w", reason: "r" });
    await store.transition(id, { from: "planning", to: "awaiting_approval", actor: "w", reason: "r", patch: { planHash: "h1" } });
    const results = await race(Array.from({ length: 6 }, (_, i) => [CHILD, where, id, "h1", `user${i}`]));
    assert.equal(results.filter((r) => r === "won").length, 1, `results: ${results.join(", ")}`);
    assert.equal(results.filter((r) => r === "lost").length, 5);
    assert.equal((await store.history(id)).filter((e) => e.to === "approved").length, 1);
    assert.equal((await store.get(id))?.state, "approved");
  });

  it("hands each message to exactly one of several processes taking them at once", { timeout: 120_000 }, async () => {
    const { store, where } = t.fixture;
    const created = await store.create(newTask(), "alice", "start");
    assert.ok(created.created);
    const id = created.task.id;
    const sent: number[] = [];
    for (let i = 0; i < 40; i++) sent.push((await store.addMessage(id, { author: "alice", face: "api", body: `message ${i}` })).id);
    const results = await race(Array.from({ length: 4 }, () => [TAKER, where, id, "5"]));
    const taken = results.map((line) => JSON.parse(line) as number[]);
    assert.deepEqual(
      taken.flat().sort((a, b) => a - b),
      sent,
      `taken: ${JSON.stringify(taken)}`,
    );
    for (const ids of taken)
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        "each process got its messages oldest first",
      );
    assert.deepEqual(await store.takeMessages(id), []);
  });
}
