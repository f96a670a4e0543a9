import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { WriteBatch } from "../../src/queue/embedded/enqueue-batch.ts";

describe("group commit of enqueues", () => {
  const table = () => {
    const db = new DatabaseSync(":memory:");
    db.exec("CREATE TABLE t (id TEXT PRIMARY KEY)");
    const insert = db.prepare("INSERT INTO t (id) VALUES (?) ON CONFLICT (id) DO NOTHING");
    return { db, insert: (id: string) => () => Number(insert.run(id).changes) === 1, count: () => Number((db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n) };
  };

  it("writes a burst in one transaction and answers each caller with its own result", async () => {
    const { db, insert, count } = table();
    const batch = new WriteBatch<boolean>(db);
    let commits = 0;
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql === "COMMIT") commits++;
      return exec(sql);
    };
    const results = await Promise.all([insert("a"), insert("b"), insert("a"), insert("c")].map((w) => batch.add(w)));
    assert.deepEqual(results, [true, true, false, true]);
    assert.equal(count(), 3);
    assert.equal(commits, 1);
    assert.equal(await batch.add(insert("d")), true, "a later turn gets its own batch");
    assert.equal(commits, 2);
  });

  it("rolls the whole batch back when one write fails, and rejects every caller", async () => {
    const { db, insert, count } = table();
    const batch = new WriteBatch<boolean>(db);
    const failing = () => {
      throw new Error("disk full");
    };
    const settled = await Promise.allSettled([batch.add(insert("a")), batch.add(failing), batch.add(insert("b"))]);
    assert.deepEqual(
      settled.map((s) => s.status),
      ["rejected", "rejected", "rejected"],
    );
    assert.equal(count(), 0, "nothing of the failed batch was committed");
    assert.equal(await batch.add(insert("a")), true, "the next batch works");
  });
});
