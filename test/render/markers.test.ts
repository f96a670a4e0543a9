import { describe, it } from "vitest";
import assert from "node:assert/strict";
import fc from "fast-check";
import { commentMarker, parsePlanMarker, parseStatusMarker, planMarker, statusMarker } from "../../src/render/markers.ts";

describe("plan marker", () => {
  it("round-trips task id, hash and version", () => {
    const marker = { task: "t_01", hash: "0123456789abcdef", version: 3 };
    assert.equal(planMarker(marker), '<!-- openjules:plan {"task":"t_01","hash":"0123456789abcdef","version":3} -->');
    assert.deepEqual(parsePlanMarker(`${planMarker(marker)}\n### Plan\n...`), marker);
    assert.deepEqual(parsePlanMarker(`${planMarker(marker)}\r\nbody`), marker);
  });

  it("round-trips any task id, even one holding comment syntax", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 10_000 }), (task, version) => {
        const line = planMarker({ task, hash: "fedcba9876543210", version });
        assert.equal(line.indexOf("-->"), line.length - 3);
        assert.equal(line.includes("\n"), false);
        assert.deepEqual(parsePlanMarker(line), { task, hash: "fedcba9876543210", version });
      }),
      { numRuns: 500 },
    );
  });

  it("reads only the first line, and only well-formed markers", () => {
    const good = planMarker({ task: "t", hash: "0123456789abcdef", version: 1 });
    assert.equal(parsePlanMarker(`text\n${good}`), null);
    assert.equal(parsePlanMarker(` ${good}`), null);
    for (const json of [
      '{"task":"t","hash":"XYZ","version":1}',
      '{"task":"t","hash":"0123456789abcdef","version":0}',
      '{"task":"","hash":"0123456789abcdef","version":1}',
      '{"task":"t","hash":"0123456789abcdef","version":1,"extra":1}',
      "{not json}",
    ]) {
      assert.equal(parsePlanMarker(`<!-- openjules:plan ${json} -->`), null, json);
    }
  });
});

describe("status marker", () => {
  it("round-trips the task id on the first line", () => {
    assert.equal(statusMarker("t_01"), "<!-- openjules:status task=t_01 -->");
    assert.deepEqual(parseStatusMarker(`${statusMarker("t_01")}\n### Planning`), { task: "t_01" });
    assert.deepEqual(parseStatusMarker(statusMarker("a b-->c")), { task: "a b-->c" });
    assert.equal(statusMarker("a b-->c").includes("-->c"), false);
    assert.equal(parseStatusMarker("hello"), null);
    assert.equal(parseStatusMarker("<!-- openjules:status task=%E0%A4%A -->"), null);
  });

  it("names other comment kinds", () => {
    assert.equal(commentMarker("help"), "<!-- openjules:help -->");
    assert.equal(commentMarker("answer", "t_01"), "<!-- openjules:answer task=t_01 -->");
  });
});
