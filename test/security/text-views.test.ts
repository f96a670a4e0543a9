import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { scanBytes } from "../../src/security/secret-scan.ts";
import { textViews } from "../../src/security/text-views.ts";
import { FAKE } from "../helpers/fake-secrets.ts";

const utf32le = (s: string) =>
  Buffer.concat(
    [...s].map((c) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(c.codePointAt(0) ?? 0);
      return b;
    }),
  );

describe("scanBytes: every reading of a file's bytes", () => {
  it("finds a token in UTF-16LE, UTF-16BE and UTF-32 text, with or without a BOM, and names the encoding", () => {
    const text = `first\nsecond ${FAKE.githubClassic}\n`;
    const cases: [Buffer, string][] = [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]), "UTF-16LE"],
      [Buffer.from(text, "utf16le"), "UTF-16LE"],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]), "UTF-16BE"],
      [Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le(text)]), "UTF-32LE"],
    ];
    for (const [bytes, label] of cases) {
      assert.deepEqual(scanBytes(bytes), { label, findings: [{ rule: "github-token", line: 2 }] }, label);
    }
  });

  it("finds UTF-16 text embedded at an odd offset inside a binary file", () => {
    const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]), Buffer.from(`k=${FAKE.stripe}`, "utf16le"), Buffer.from([0, 0, 7])]);
    assert.deepEqual(scanBytes(bytes).findings, [{ rule: "stripe-key", line: 1 }]);
    assert.equal(scanBytes(Buffer.from([1, 0, 0, 2, 3, 0, 0, 0, 9])).label, "binary");
  });

  it("reads plain text once, and leaves out a match the base version already held", () => {
    assert.deepEqual(textViews(Buffer.from("plain text\n")), { label: null, texts: ["plain text\n"] });
    const before = Buffer.from(`a = ${FAKE.npm}\n`);
    const after = Buffer.from(`a = ${FAKE.npm}\nb = ${FAKE.gitlab}\n`);
    assert.deepEqual(scanBytes(after, [], before).findings, [{ rule: "gitlab-token", line: 2 }]);
    assert.deepEqual(scanBytes(Buffer.from(`a = ${FAKE.npm}\n`, "utf16le"), [], before).findings, [], "re-encoding a known value adds nothing new");
  });
});
