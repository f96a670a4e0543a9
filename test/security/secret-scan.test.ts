import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { describeFindings, scanForSecrets } from "../../src/security/secret-scan.ts";
import { FAKE, fakePrivateKey } from "../helpers/fake-secrets.ts";
import { SECRET_CASES } from "../helpers/secret-cases.ts";

/** True when any 8-character piece of `secret` shows up in `text`. */
function leaks(text: string, secret: string): boolean {
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return true;
  return false;
}

describe("scanForSecrets", () => {
  for (const { rule, positive, negative } of SECRET_CASES) {
    it(`${rule}: found on the right line, look-alikes not found`, () => {
      for (const text of positive) {
        const findings = scanForSecrets(`first line\nsecond line\n${text}\nlast`);
        assert.ok(
          findings.some((f) => f.line === 3),
          `no finding on line 3 for ${rule}: ${JSON.stringify(findings)}`,
        );
      }
      for (const text of negative) assert.deepEqual(scanForSecrets(text), [], `false positive: ${text}`);
    });
  }

  it("reports rule and line only: a finding never carries any part of the secret", () => {
    const secrets = [FAKE.githubClassic, FAKE.anthropic, FAKE.openaiProject, FAKE.awsAccessKeyId, FAKE.slackBot, fakePrivateKey()];
    const text = secrets.map((s, i) => `line ${i}: ${s}`).join("\n");
    const findings = scanForSecrets(text, ["configured-canary-value"]);
    assert.equal(findings.length, secrets.length);
    for (const finding of findings) assert.deepEqual(Object.keys(finding).sort(), ["line", "rule"]);
    const serialized = JSON.stringify(findings) + describeFindings(findings).join("\n");
    for (const secret of secrets) assert.equal(leaks(serialized, secret), false);
  });

  it("finds configured values and counts lines from 1", () => {
    assert.deepEqual(scanForSecrets("ok\nthe canary is CANARY-1234-abcd here", ["CANARY-1234-abcd"]), [{ rule: "configured-secret", line: 2 }]);
    assert.deepEqual(scanForSecrets(`${FAKE.npm}`), [{ rule: "npm-token", line: 1 }]);
  });

  it("reports a multi-line private key once, on the line it starts", () => {
    assert.deepEqual(scanForSecrets(`a\nb\n${fakePrivateKey()}\nc`), [{ rule: "private-key", line: 3 }]);
  });

  it("reports one finding per rule and line", () => {
    assert.deepEqual(scanForSecrets(`${FAKE.githubClassic} ${FAKE.githubClassic}\n${FAKE.githubClassic}`), [
      { rule: "github-token", line: 1 },
      { rule: "github-token", line: 2 },
    ]);
  });

  it("describes findings for a person without the secret", () => {
    assert.deepEqual(
      describeFindings([
        { rule: "github-token", line: 4 },
        { rule: "private-key", line: 9, file: "deploy/key.pem" },
      ]),
      ["line 4: github-token", "deploy/key.pem:9: private-key"],
    );
  });
});
