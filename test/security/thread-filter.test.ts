import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { selectThreadComments } from "../../src/security/sanitize.ts";

interface C {
  id: number;
  author: string;
  createdAt: string;
}

const comments: C[] = [
  { id: 1, author: "maintainer", createdAt: "2024-05-01T10:00:00Z" },
  { id: 2, author: "drive-by", createdAt: "2024-05-01T10:05:00Z" },
  { id: 3, author: "writer", createdAt: "2024-05-01T10:10:00Z" },
  { id: 4, author: "writer", createdAt: "2024-05-01T10:15:00Z" }, // the trigger itself
  { id: 5, author: "maintainer", createdAt: "2024-05-01T10:20:00Z" }, // after the trigger
  { id: 6, author: "writer", createdAt: "not a date" },
];
const writers = new Set(["maintainer", "writer"]);
const isWriter = (c: C) => writers.has(c.author);

describe("selectThreadComments", () => {
  it("keeps only writers' comments made strictly before the trigger, in order", () => {
    const kept = selectThreadComments(comments, { triggerAt: "2024-05-01T10:15:00Z", isWriter });
    assert.deepEqual(
      kept.map((c) => c.id),
      [1, 3],
    );
  });

  it("accepts Date triggers and Date creation times", () => {
    const dated = comments.slice(0, 3).map((c) => ({ ...c, createdAt: new Date(c.createdAt) }));
    const kept = selectThreadComments(dated, { triggerAt: new Date("2024-05-01T10:07:00Z"), isWriter: (c) => writers.has(c.author) });
    assert.deepEqual(
      kept.map((c) => c.id),
      [1],
    );
  });

  it("compares instants, not strings, across time zones", () => {
    const kept = selectThreadComments([{ id: 9, author: "writer", createdAt: "2024-05-01T12:14:59+02:00" }], { triggerAt: "2024-05-01T10:15:00Z", isWriter });
    assert.deepEqual(
      kept.map((c) => c.id),
      [9],
    );
  });

  it("leaves out comments whose time cannot be read, and everything when no one is a writer", () => {
    assert.equal(
      selectThreadComments(comments, { triggerAt: "2030-01-01T00:00:00Z", isWriter }).some((c) => c.id === 6),
      false,
    );
    assert.deepEqual(selectThreadComments(comments, { triggerAt: "2030-01-01T00:00:00Z", isWriter: () => false }), []);
  });

  it("does not mutate its input", () => {
    const copy = structuredClone(comments);
    selectThreadComments(comments, { triggerAt: "2024-05-01T10:15:00Z", isWriter });
    assert.deepEqual(comments, copy);
  });

  it("rejects an unreadable trigger time with a clear message", () => {
    assert.throws(() => selectThreadComments(comments, { triggerAt: "yesterday", isWriter }), /triggerAt is not a valid time: yesterday/);
  });
});
