import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "vitest";
import { redactSecrets } from "../../src/security/redact.ts";
import { loadSettings } from "../../src/settings.ts";
import { FAKE } from "../helpers/fake-secrets.ts";
import { testPrivateKey } from "../helpers/keys.ts";

/** One list of the process's secrets, built once from the settings, with the App's private key in every form. */
describe("settings.secrets", () => {
  const pem = testPrivateKey();
  const env = { APP_ID: "1", WEBHOOK_SECRET: "hook-secret-0123", OPENAI_API_KEY: FAKE.openaiLegacy, ANTHROPIC_API_KEY: FAKE.anthropic, JULES_API_TOKEN: "task-api-token-0123" };
  const bodyLine = pem.split("\n")[5] ?? "";

  it("holds the webhook secret, both provider keys, the API token and the private key (PEM, one body line)", () => {
    const { secrets } = loadSettings({ ...env, PRIVATE_KEY: pem });
    for (const value of ["hook-secret-0123", FAKE.openaiLegacy, FAKE.anthropic, "task-api-token-0123", pem.trim(), bodyLine])
      assert.ok(secrets.includes(value), `missing ${value.slice(0, 12)}…`);
  });

  it("redacts the private key whichever way PRIVATE_KEY was given: \\n-escaped, base64, or a lone line of it", () => {
    for (const given of [pem.replace(/\n/g, "\\n"), Buffer.from(pem).toString("base64")]) {
      const { secrets } = loadSettings({ ...env, PRIVATE_KEY: given });
      const text = `given: ${given}\nline: ${bodyLine}\nescaped: ${pem.trim().replace(/\n/g, "\\n")}`;
      const out = redactSecrets(text, secrets);
      assert.equal(out.includes(bodyLine), false, "a body line survived");
      assert.equal(out.includes(given.slice(40, 80)), false, "the given form survived");
    }
  });

  it("is what the process logger redacts by value, also inside an error message", () => {
    const script = `
      const { loadSettings } = await import("./src/settings.ts");
      const { createLogger } = await import("./src/log.ts");
      const settings = loadSettings({ ...JSON.parse(process.env.ENV_JSON), LOG_LEVEL: "info" });
      createLogger(settings).error({ err: new Error("bad key " + process.env.LINE) }, "failed with " + settings.github.webhookSecret);
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: process.cwd(),
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ENV_JSON: JSON.stringify({ ...env, PRIVATE_KEY: pem }), LINE: bodyLine },
    });
    assert.match(out, /failed with \[REDACTED:configured-secret\]/);
    assert.match(out, /bad key \[REDACTED:configured-secret\]/);
    assert.equal(out.includes("hook-secret-0123") || out.includes(bodyLine), false);
  });
});
