import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal } from "../../src/security/sealed.ts";

const key = randomBytes(32);
const b64 = (b: Buffer) => b.toString("base64url");

describe("seal and open (AES-256-GCM at rest)", () => {
  it("opens what it sealed, in the v1 text format, with a fresh IV every time", () => {
    const text = "ghu_16C7e42F292c6912E7710c838347Ae178B4a — ünïcödé";
    const a = seal(text, key);
    const b = seal(text, key);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
    expect(Buffer.from(a.split(".")[1]!, "base64url")).toHaveLength(12);
    expect(open(a, key)).toBe(text);
    expect(open(b, key)).toBe(text);
    expect(a).not.toContain("ghu_");
    expect(open(seal("", key), key)).toBe("");
  });

  it("answers null for another key, never throwing", () => {
    const sealed = seal("secret", key);
    expect(open(sealed, randomBytes(32))).toBeNull();
    expect(open(sealed, randomBytes(16))).toBeNull();
  });

  it("answers null for any changed part: IV, tag, ciphertext, version, a non-canonical spelling", () => {
    const sealed = seal("the user's token", key);
    const [v, iv, tag, ct] = sealed.split(".") as [string, string, string, string];
    const flip = (part: string, at = 0) => {
      const bytes = Buffer.from(part, "base64url");
      bytes[at] = bytes[at]! ^ 0x01;
      return b64(bytes);
    };
    for (const changed of [
      [v, flip(iv), tag, ct],
      [v, iv, flip(tag), ct],
      [v, iv, tag, flip(ct)],
      [v, iv, tag, flip(ct, 15)],
      ["v2", iv, tag, ct],
      [v, iv, tag.slice(0, 11), ct], // a short tag GCM would otherwise accept
      [v, iv.slice(0, 8), tag, ct],
      [v, iv, tag, `${ct}A`],
      [v, iv, tag, ct, "x"],
      [v, iv, tag],
      [v, `${iv}=`, tag, ct],
      [v, iv, tag, ct.replace(/.$/, (c) => (c === "A" ? "B" : "A"))],
    ]) {
      expect(open(changed.join("."), key), changed.join(".")).toBeNull();
    }
    for (const junk of ["", "v1", "v1...", "not sealed at all", "v1.!!!.@@@.###", `v1.${iv}.${tag}.${ct}\n`]) expect(open(junk, key)).toBeNull();
  });

  it("refuses to seal with a key that is not 32 bytes", () => {
    expect(() => seal("x", randomBytes(31))).toThrow(/32 bytes/);
  });
});
