import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { redactSecrets } from "../../src/security/redact.ts";
import { FAKE, fakePrivateKey } from "../helpers/fake-secrets.ts";
import { SECRET_CASES as CASES } from "../helpers/secret-cases.ts";

describe("redactSecrets: each pattern", () => {
  for (const { rule, positive, negative } of CASES) {
    it(`${rule}: redacts real-looking values and leaves look-alikes`, () => {
      for (const text of positive) {
        const out = redactSecrets(`before ${text} after`);
        assert.match(out, new RegExp(`\\[REDACTED:${rule}\\]`), `not redacted as ${rule}: ${text.slice(0, 12)}…`);
        assert.ok(out.startsWith("before ") && out.endsWith(" after"), "surrounding text kept");
      }
      for (const text of negative) assert.equal(redactSecrets(text), text, `wrongly redacted: ${text}`);
    });
  }
});

describe("redactSecrets: what is kept and what is hidden", () => {
  it("keeps the context of a credential and hides only the value", () => {
    const out = redactSecrets(`Authorization: Bearer ${FAKE.bearer}\nhttps://x-access-token:${FAKE.installationToken}@github.com/o/r`);
    assert.equal(out, "Authorization: Bearer [REDACTED:authorization-header]\nhttps://x-access-token:[REDACTED:github-token]@github.com/o/r");
  });

  it("hides a whole private key block, also when JSON-escaped", () => {
    const key = fakePrivateKey();
    assert.equal(redactSecrets(`key:\n${key}\ndone`), "key:\n[REDACTED:private-key]\ndone");
    const escaped = JSON.stringify({ private_key: key });
    const out = redactSecrets(escaped);
    assert.equal(out, '{"private_key":"[REDACTED:private-key]"}');
  });

  it("redacts configured values, raw and URL-encoded, and ignores values too short to be secrets", () => {
    const secret = "canary/Value+42 with space";
    const out = redactSecrets(`env: ${secret}; url: ?q=${encodeURIComponent(secret)}; short: abc`, [secret, "abc", ""]);
    assert.equal(out, "env: [REDACTED:configured-secret]; url: ?q=[REDACTED:configured-secret]; short: abc");
  });

  it("redacts every occurrence and leaves text without secrets untouched", () => {
    const text = `${FAKE.githubClassic} and ${FAKE.githubClassic}`;
    assert.equal(redactSecrets(text), "[REDACTED:github-token] and [REDACTED:github-token]");
    const plain = "No secrets here: sk-learn, AKIA, ghp_, Bearer tokens explained.";
    assert.equal(redactSecrets(plain), plain);
  });

  it("never leaves part of a secret when matches overlap", () => {
    const text = `https://user:${FAKE.githubClassic}@github.com`;
    const out = redactSecrets(text, [FAKE.githubClassic.slice(0, 20)]);
    assert.doesNotMatch(out, new RegExp(FAKE.githubClassic.slice(10, 30)));
    assert.doesNotMatch(out, /ghp_/);
  });
});
