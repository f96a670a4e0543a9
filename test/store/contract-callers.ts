/**
 * TaskStore contract, part 7 (tasks from every face): tasks without an issue
 * (many per repository), `paused` still holds the issue, the face and model a
 * task was created with, idempotency keys (replay, conflict, concurrent
 * creates), the repositories filter of a personal token, and messages (each
 * taken once, oldest first, with its `message` event).
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { TaskNotFoundError } from "../../src/store/errors.ts";
import type { CreateResult } from "../../src/store/port.ts";
import type { ContractContext } from "./contract.ts";
import { createdId } from "./contract-log.ts";
import { newTask, uniqueOwner } from "./fixtures.ts";

const key = (digest = "d1") => ({ key: `api:alice:${uniqueOwner()}`, digest });
const outcome = (r: CreateResult) => (r.created ? "created" : "replayed" in r ? "replayed" : "conflict" in r ? "conflict" : "active");

export function callerCases(t: ContractContext): void {
  describe("tasks from every face", () => {
    it("creates tasks without an issue, as many as asked, with their face and model", async () => {
      const owner = uniqueOwner();
      const input = newTask({ owner, issueNumber: null, triggerCommentId: null, face: "api", model: "openai:gpt-5" });
      const first = await t.store.create(input, "alice", "POST /api/v1/tasks");
      const second = await t.store.create(input, "alice", "POST /api/v1/tasks");
      assert.ok(first.created && second.created, "two issue-less tasks of one repository do not conflict");
      assert.equal(first.task.issueNumber, null);
      assert.equal(first.task.face, "api");
      assert.equal(first.task.model, "openai:gpt-5");
      assert.deepEqual(await t.store.get(first.task.id), first.task);
      assert.equal((await t.store.history(first.task.id))[0]?.face, "api");
      assert.equal((await t.store.list({ owner })).length, 2);
      await assert.rejects(t.store.create(newTask({ issueNumber: -1 }), "a", "r"), /issueNumber must be a positive integer/);
      await assert.rejects(t.store.create(newTask({ face: "fax" as never }), "a", "r"), /face must be one of/);
    });

    it("counts a paused task as the issue's active one", async () => {
      const owner = uniqueOwner();
      const created = await t.store.create(newTask({ owner, issueNumber: 4 }), "alice", "start");
      assert.ok(created.created);
      let state = created.task.state;
      for (const to of ["planning", "awaiting_approval", "approved", "working", "paused"] as const) {
        assert.ok(await t.store.transition(created.task.id, { from: state, to, actor: "w", reason: to, patch: to === "paused" ? { pause: null } : {} }), `${state} → ${to}`);
        state = to;
      }
      assert.equal((await t.store.findActive(owner, "hello-world", 4))?.state, "paused");
      const again = await t.store.create(newTask({ owner, issueNumber: 4 }), "bob", "start");
      assert.equal(outcome(again), "active");
      assert.ok(await t.store.transition(created.task.id, { from: "paused", to: "approved", actor: "alice", face: "web", reason: "resume" }));
    });

    it("answers a repeated idempotency key with the task it made, or a conflict for another request", async () => {
      const k = key();
      const input = newTask({ issueNumber: null, triggerCommentId: null, face: "api", idempotency: k });
      const first = await t.store.create(input, "alice", "create");
      assert.ok(first.created);
      assert.deepEqual(await t.store.create(input, "alice", "retried"), { created: false, replayed: first.task });
      assert.deepEqual(await t.store.create({ ...input, instruction: "other", idempotency: { ...k, digest: "d2" } }, "alice", "reused"), { created: false, conflict: first.task });
      assert.equal((await t.store.history(first.task.id)).length, 1, "a replay writes nothing");
      assert.ok((await t.store.create({ ...input, idempotency: key() }, "alice", "new key")).created);
      await assert.rejects(t.store.create({ ...input, idempotency: { key: "", digest: "d" } }, "alice", "r"), /idempotency.key/);
    });

    it("creates one task for concurrent creates with the same key", async () => {
      const input = newTask({ issueNumber: null, triggerCommentId: null, idempotency: key() });
      const results = await Promise.all(Array.from({ length: 12 }, () => t.store.create(input, "alice", "race")));
      assert.deepEqual(results.map(outcome).sort(), ["created", ...Array(11).fill("replayed")]);
      const made = results.find((r) => r.created);
      for (const r of results) if ("replayed" in r) assert.equal(r.replayed.id, made?.created && made.task.id);
      assert.equal((await t.store.list({ owner: input.owner })).length, 1);
    });

    it("lists only the repositories asked for, whatever their case", async () => {
      const owner = uniqueOwner();
      const a = await t.store.create(newTask({ owner, repo: "Alpha", issueNumber: 1 }), "alice", "s");
      const b = await t.store.create(newTask({ owner, repo: "beta", issueNumber: 1 }), "alice", "s");
      await t.store.create(newTask({ owner, repo: "gamma", issueNumber: 1 }), "alice", "s");
      assert.ok(a.created && b.created);
      const ids = async (repositories: string[]) => (await t.store.list({ owner, repositories })).map((x) => x.id);
      assert.deepEqual(await ids([`${owner.toUpperCase()}/alpha`, `${owner}/BETA`, "someone/else"]), [b.task.id, a.task.id]);
      assert.deepEqual(await ids([]), [], "an empty list matches nothing");
      await assert.rejects(t.store.list({ repositories: ["no-slash"] }), /owner\/name/);
    });
  });

  describe("messages", () => {
    it("queues messages with their event, and hands each out once, oldest first", async () => {
      const id = await createdId(t.store);
      const m1 = await t.store.addMessage(id, { author: "alice", face: "cli", body: "Also update the README" });
      const m2 = await t.store.addMessage(id, { author: "bob", face: "thread", body: "and the changelog" });
      assert.equal(m1.taskId, id);
      assert.equal(m1.deliveredAt, null);
      assert.ok(m2.id > m1.id);
      const events = (await t.store.readEvents(id, 0, 10)).map((e) => e.data);
      assert.deepEqual(events.slice(1), [
        { type: "message", from: "alice", face: "cli", text: "Also update the README" },
        { type: "message", from: "bob", face: "thread", text: "and the changelog" },
      ]);
      const taken = await t.store.takeMessages(id);
      assert.deepEqual(
        taken.map((m) => [m.id, m.body, m.author, m.face]),
        [
          [m1.id, m1.body, "alice", "cli"],
          [m2.id, m2.body, "bob", "thread"],
        ],
      );
      for (const m of taken) assert.ok(m.deliveredAt && m.deliveredAt >= m.createdAt);
      assert.deepEqual(await t.store.takeMessages(id), [], "each message is taken once");
      const m3 = await t.store.addMessage(id, { author: "alice", face: "api", body: "one more" });
      assert.deepEqual(
        (await t.store.takeMessages(id)).map((m) => m.id),
        [m3.id],
      );
    });

    it("never gives one message to two concurrent takers", async () => {
      const id = await createdId(t.store);
      const sent = [];
      for (let i = 0; i < 30; i++) sent.push((await t.store.addMessage(id, { author: "alice", face: "api", body: `message ${i}` })).id);
      const rounds = await Promise.all(Array.from({ length: 8 }, () => t.store.takeMessages(id)));
      const got = rounds.flat().map((m) => m.id);
      assert.deepEqual(
        [...got].sort((a, b) => a - b),
        sent,
        "every message taken exactly once",
      );
      for (const round of rounds)
        assert.deepEqual(
          round.map((m) => m.id),
          [...round.map((m) => m.id)].sort((a, b) => a - b),
          "oldest first",
        );
    });

    it("refuses messages to no task, or without an author or text", async () => {
      const id = await createdId(t.store);
      await assert.rejects(t.store.addMessage("no-such-task", { author: "a", face: "api", body: "x" }), TaskNotFoundError);
      await assert.rejects(t.store.addMessage(id, { author: "a", face: "api", body: "  " }), /non-empty body/);
      await assert.rejects(t.store.addMessage(id, { author: "", face: "api", body: "x" }), /author/);
      await assert.rejects(t.store.addMessage(id, { author: "a", face: "pager" as never, body: "x" }), /face must be one of/);
      assert.deepEqual(await t.store.takeMessages(id), []);
    });
  });
}
