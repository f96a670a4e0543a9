/**
 * TaskStore contract, CI fixes (`store.ciFixes`, issue 13): one record per
 * failing head commit of a pull request (a second record is the first one
 * back; owner and repository compared without case), automatic attempts
 * claimed up to a maximum per pull request (a person's request never counts,
 * a retried claim gets its record back, two stores claiming at once take one
 * attempt between them, the count survives reopening the database), patches,
 * the follow-up task found again, the pull request's comment kept and
 * replaced, and bad input refused. Owners are unique per case, so a shared
 * database works too.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { CiFixCheck, CiFixKey } from "../../src/store/port.ts";
import type { ContractContext } from "./contract.ts";
import { newTask, uniqueOwner } from "./fixtures.ts";

const sha = () => randomBytes(20).toString("hex");
const checks: CiFixCheck[] = [
  { name: "test (node 24)", url: "https://github.com/o/r/runs/1", onBase: false },
  { name: "lint", url: "https://github.com/o/r/runs/2", onBase: true },
];
const key = (owner: string, headSha = sha(), pullRequestNumber = 7): CiFixKey => ({ owner, repo: "Hello-World", pullRequestNumber, headSha });

export function ciFixCases(t: ContractContext): void {
  describe("CI fix records", () => {
    it("records a failing head commit once, whatever the case of the owner and repository", async () => {
      const owner = uniqueOwner();
      const k = key(owner);
      const first = await t.store.ciFixes.record(k, checks);
      assert.equal(first.created, true);
      assert.equal(first.record.decision, "pending");
      assert.equal(first.record.automatic, false);
      assert.deepEqual(first.record.checks, checks);
      assert.equal(first.record.owner, owner.toLowerCase());
      const again = await t.store.ciFixes.record({ ...k, owner: owner.toUpperCase(), repo: "hello-world", headSha: k.headSha.toUpperCase() }, []);
      assert.equal(again.created, false);
      assert.deepEqual(again.record, first.record);
      assert.deepEqual(await t.store.ciFixes.get({ ...k, owner: owner.toUpperCase() }), first.record);
      assert.equal(await t.store.ciFixes.get(key(owner)), null);
    });

    it("claims at most `max` automatic attempts per pull request; a person's request is not one, and a retried claim gets its record", async () => {
      const owner = uniqueOwner();
      const [a, b, c, asked] = [key(owner), key(owner), key(owner), key(owner)];
      for (const k of [a, b, c, asked]) await t.store.ciFixes.record(k, checks);
      await t.store.ciFixes.update(asked, { decision: "requested" });
      const first = await t.store.ciFixes.claimAttempt(a, 2);
      assert.equal(first?.decision, "started");
      assert.equal(first?.automatic, true);
      assert.deepEqual(await t.store.ciFixes.claimAttempt(a, 2), first, "the same head again: its attempt, not a second one");
      assert.equal((await t.store.ciFixes.claimAttempt(b, 2))?.automatic, true);
      assert.equal(await t.store.ciFixes.claimAttempt(c, 2), null, "the third is over the limit");
      assert.equal((await t.store.ciFixes.get(c))?.decision, "pending", "a refused claim leaves the record as it was");
      assert.equal(await t.store.ciFixes.claimAttempt(asked, 5), null, "a person's request is not turned into an automatic attempt");
      // Another pull request of the same repository has its own count.
      const other = key(owner, sha(), 8);
      await t.store.ciFixes.record(other, checks);
      assert.equal((await t.store.ciFixes.claimAttempt(other, 2))?.decision, "started");
      const listed = await t.store.ciFixes.list(owner, "Hello-World", 7);
      assert.deepEqual(
        listed.map((r) => [r.headSha, r.decision, r.automatic]),
        [
          [a.headSha, "started", true],
          [b.headSha, "started", true],
          [c.headSha, "pending", false],
          [asked.headSha, "requested", false],
        ],
        "oldest first",
      );
    });

    it("counts the attempts across a reopened database", async () => {
      const reopen = t.fixture.reopen;
      assert.ok(reopen, "every backend's fixture can reopen its database");
      const owner = uniqueOwner();
      const [a, b] = [key(owner), key(owner)];
      await t.store.ciFixes.record(a, checks);
      await t.store.ciFixes.claimAttempt(a, 1);
      await t.store.close();
      const store = await reopen();
      try {
        await store.ciFixes.record(b, checks);
        assert.equal(await store.ciFixes.claimAttempt(b, 1), null);
        assert.equal((await store.ciFixes.get(a))?.automatic, true);
      } finally {
        await store.close();
      }
      t.fixture.store = await reopen();
    });

    it("gives the last attempt to one of two stores claiming at once", async () => {
      const owner = uniqueOwner();
      const heads = [key(owner), key(owner), key(owner), key(owner)];
      for (const k of heads) await t.store.ciFixes.record(k, checks);
      const other = await t.fixture.openWith({});
      try {
        const claims = await Promise.all(heads.map((k, i) => (i % 2 === 0 ? t.store : other).ciFixes.claimAttempt(k, 1)));
        assert.equal(claims.filter((c) => c !== null).length, 1);
        assert.equal((await t.store.ciFixes.list(owner, "Hello-World", 7)).filter((r) => r.automatic).length, 1);
      } finally {
        await other.close();
      }
    });

    it("patches a record, finds it by its follow-up task, and keeps the pull request's comment", async () => {
      const owner = uniqueOwner();
      const k = key(owner);
      await t.store.ciFixes.record(k, checks);
      const created = await t.store.create(newTask({ owner, kind: "follow_up", issueNumber: 7 }), "openjules[bot]", "CI fix");
      assert.ok(created.created);
      const taskId = created.task.id;
      const fix = sha();
      const patched = await t.store.ciFixes.update(k, { decision: "skipped", reason: "human", detail: "hubot abc1234", checks: [checks[0]!] });
      assert.deepEqual([patched.decision, patched.reason, patched.detail, patched.checks], ["skipped", "human", "hubot abc1234", [checks[0]]]);
      await t.store.ciFixes.update(k, { decision: "requested", reason: null, detail: null, taskId });
      const done = await t.store.ciFixes.update(k, { fixSha: fix.toUpperCase(), verdict: "passed" });
      assert.deepEqual([done.taskId, done.fixSha, done.verdict, done.reason], [taskId, fix, "passed", null]);
      assert.ok(done.updatedAt >= done.createdAt);
      assert.deepEqual(await t.store.ciFixes.findByTask(taskId), done);
      assert.equal(await t.store.ciFixes.findByTask("no-such-task"), null);

      assert.equal(await t.store.ciFixes.statusComment(owner, "Hello-World", 7), null);
      await t.store.ciFixes.setStatusComment(owner, "hello-world", 7, 9_000_000_001);
      assert.equal(await t.store.ciFixes.statusComment(owner.toUpperCase(), "Hello-World", 7), 9_000_000_001);
      await t.store.ciFixes.setStatusComment(owner, "Hello-World", 7, 42);
      assert.equal(await t.store.ciFixes.statusComment(owner, "Hello-World", 7), 42);
      assert.equal(await t.store.ciFixes.statusComment(owner, "Hello-World", 8), null);
    });

    it("refuses what is not a record", async () => {
      const owner = uniqueOwner();
      const k = key(owner);
      await assert.rejects(t.store.ciFixes.record({ ...k, headSha: "not a sha" }, checks), /headSha must be a commit sha/);
      await assert.rejects(t.store.ciFixes.record({ ...k, pullRequestNumber: 0 }, checks), /pullRequestNumber/);
      await assert.rejects(t.store.ciFixes.record({ ...k, owner: "a/b" }, checks), /owner/);
      await assert.rejects(t.store.ciFixes.record(k, [{ name: "", url: "u", onBase: false }]), /each check needs/);
      await t.store.ciFixes.record(k, checks);
      await assert.rejects(t.store.ciFixes.update(k, { decision: "done" as never }), /decision must be one of/);
      await assert.rejects(t.store.ciFixes.update(k, { verdict: "green" as never }), /verdict must be one of/);
      await assert.rejects(t.store.ciFixes.update(key(owner), { verdict: "passed" }), /No CI fix record/);
      await assert.rejects(t.store.ciFixes.setStatusComment(owner, "Hello-World", 7, -1), /commentId/);
    });
  });
}
