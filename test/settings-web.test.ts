import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "vitest";
import { loadSettings } from "../src/settings.ts";
import { testPrivateKey } from "./helpers/keys.ts";
import { baseEnv, settingsProblems } from "./helpers/settings-env.ts";

const base = baseEnv;
const problems = settingsProblems;

describe("web settings", () => {
  it("are off by default: no sign-in, no user keys, the browser's speech, github.com", () => {
    const web = loadSettings(base()).web;
    assert.equal(web.oauth, null);
    assert.equal(web.publicUrl, undefined);
    assert.equal(web.basePath, "/app");
    assert.equal(web.webHost, "https://github.com");
    assert.deepEqual(web.operators, []);
    assert.equal(web.sessionMs, 24 * 3_600_000);
    assert.equal(web.allowUserKeys, false);
    assert.equal(web.secretKeyGiven, false);
    assert.equal(web.tts, "auto");
    assert.equal(web.firstRun, "auto");
  });

  it("derive the sealing key from the private key when JULES_SECRET_KEY is not set (stable, 32 bytes, not the key itself)", () => {
    const a = loadSettings(base()).web.secretKey;
    const b = loadSettings(base()).web.secretKey;
    assert.equal(a.length, 32);
    assert.deepEqual(a, b);
    assert.ok(!testPrivateKey().includes(a.toString("base64")));
  });

  it("read the OAuth client, operators (lower case), the public URL without its trailing slash and GHE's web host", () => {
    const web = loadSettings({
      ...base(),
      GITHUB_CLIENT_ID: "Iv1.abc",
      GITHUB_CLIENT_SECRET: "shhh-client-secret-0123456789",
      JULES_OPERATORS: "Octocat, hubot",
      JULES_PUBLIC_URL: "https://jules.example.com/",
      GHE_HOST: "ghe.example.com",
      JULES_SESSION_HOURS: "1.5",
    }).web;
    assert.deepEqual(web.oauth, { clientId: "Iv1.abc", clientSecret: "shhh-client-secret-0123456789" });
    assert.deepEqual(web.operators, ["octocat", "hubot"]);
    assert.equal(web.publicUrl, "https://jules.example.com");
    assert.equal(web.webHost, "https://ghe.example.com");
    assert.equal(web.sessionMs, 5_400_000);
  });

  it("keep the client secret and the secret key in the secret list (redacted everywhere)", () => {
    const key = randomBytes(32).toString("base64");
    const s = loadSettings({ ...base(), GITHUB_CLIENT_ID: "Iv1.abc", GITHUB_CLIENT_SECRET: "shhh-client-secret-0123456789", JULES_SECRET_KEY: key });
    assert.ok(s.secrets.includes("shhh-client-secret-0123456789"));
    assert.ok(s.secrets.includes(key));
  });

  it("accept JULES_SECRET_KEY as base64, base64url or hex of 32 bytes, and refuse anything else with how to make one", () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString("base64"), bytes.toString("base64url"), bytes.toString("hex")]) {
      const web = loadSettings({ ...base(), JULES_SECRET_KEY: text }).web;
      assert.deepEqual(web.secretKey, bytes);
      assert.equal(web.secretKeyGiven, true);
    }
    for (const bad of ["short", randomBytes(16).toString("base64"), randomBytes(33).toString("hex")]) {
      assert.match(problems({ ...base(), JULES_SECRET_KEY: bad }).join(), /JULES_SECRET_KEY must be 32 random bytes .*openssl rand -base64 32/);
    }
  });

  it("refuse half an OAuth client, and user keys without JULES_SECRET_KEY", () => {
    assert.match(problems({ ...base(), GITHUB_CLIENT_ID: "Iv1.abc" }).join(), /GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET go together/);
    assert.match(problems({ ...base(), GITHUB_CLIENT_SECRET: "x".repeat(20) }).join(), /GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET go together/);
    assert.match(problems({ ...base(), JULES_ALLOW_USER_KEYS: "true" }).join(), /JULES_SECRET_KEY is required when JULES_ALLOW_USER_KEYS is true/);
    const web = loadSettings({ ...base(), JULES_ALLOW_USER_KEYS: "true", JULES_SECRET_KEY: randomBytes(32).toString("hex") }).web;
    assert.equal(web.allowUserKeys, true);
  });

  it("refuse a JULES_PUBLIC_URL that is not a URL", () => {
    assert.match(problems({ ...base(), JULES_PUBLIC_URL: "jules.example.com" }).join(), /JULES_PUBLIC_URL/);
  });
});
