import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addToken } from "../src/access/personal-tokens.ts";
import { loadSettings, SETTING_NAMES } from "../src/settings.ts";
import { testPrivateKey } from "./helpers/keys.ts";
import { baseEnv, settingsProblems } from "./helpers/settings-env.ts";

const base = baseEnv;
const problems = settingsProblems;

describe("settings", () => {
  it("reads a minimal environment with documented defaults", () => {
    const s = loadSettings(base());
    assert.equal(s.github.appId, 123);
    assert.equal(s.server.port, 3000);
    assert.equal(s.agent.provider, "none");
    assert.equal(s.github.writeIntervalMs, 1000);
    assert.equal(s.github.baseUrl, undefined);
    assert.ok(s.dataDir.endsWith(".jules-data"));
  });

  it("names each missing or malformed setting", () => {
    const found = problems({ PORT: "eighty", LOG_LEVEL: "loud" });
    for (const name of ["APP_ID", "WEBHOOK_SECRET", "PORT", "LOG_LEVEL"])
      assert.ok(
        found.some((p) => p.startsWith(name)),
        `${name} in ${found.join("; ")}`,
      );
    assert.match(problems({ APP_ID: "1", WEBHOOK_SECRET: "x" }).join(), /PRIVATE_KEY or PRIVATE_KEY_PATH is required/);
    assert.match(problems({ ...base(), PRIVATE_KEY: "not a key" }).join(), /PRIVATE_KEY is not a PEM private key/);
    assert.match(problems({ ...base(), PRIVATE_KEY: "", PRIVATE_KEY_PATH: "/nonexistent/key.pem" }).join(), /PRIVATE_KEY_PATH points to \/nonexistent\/key.pem/);
    assert.match(problems({ ...base(), JULES_PROVIDER: "openai" }).join(), /JULES_MODEL is required/);
    assert.match(problems({ ...base(), JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4.1" }).join(), /OPENAI_API_KEY is required/);
    assert.match(problems({ ...base(), JULES_PROVIDER: "openai-compatible", JULES_MODEL: "llama3" }).join(), /OPENAI_BASE_URL is required/);
    assert.match(problems({ ...base(), OPENAI_BASE_URL: "not a url" }).join(), /^OPENAI_BASE_URL must be a URL/);
  });

  it("accepts the key as a file, with escaped newlines, or base64-encoded", () => {
    const pem = testPrivateKey();
    const dir = mkdtempSync(join(tmpdir(), "jules-key-"));
    writeFileSync(join(dir, "key.pem"), pem);
    assert.equal(loadSettings({ ...base(), PRIVATE_KEY: "", PRIVATE_KEY_PATH: join(dir, "key.pem") }).github.privateKey, pem);
    assert.equal(loadSettings({ ...base(), PRIVATE_KEY: pem.replace(/\n/g, "\\n") }).github.privateKey, pem);
    assert.equal(loadSettings({ ...base(), PRIVATE_KEY: Buffer.from(pem).toString("base64") }).github.privateKey, pem);
  });

  it("points the API at GitHub Enterprise Server when GHE_HOST is set", () => {
    assert.equal(loadSettings({ ...base(), GHE_HOST: "github.example.com" }).github.baseUrl, "https://github.example.com/api/v3");
    assert.equal(loadSettings({ ...base(), GHE_HOST: "ghe.local", GHE_PROTOCOL: "http" }).github.baseUrl, "http://ghe.local/api/v3");
  });

  it("reads JULES_API_TOKENS as an absolute path (personal tokens off without it), keeping the token file's hashes out of the secret list", () => {
    const dir = mkdtempSync(join(tmpdir(), "jules-tokens-"));
    const { entry } = addToken(join(dir, "tokens.json"), { login: "octocat", scopes: ["read"], repositories: null });
    assert.equal(loadSettings(base()).ops.apiTokensFile, undefined);
    assert.equal(loadSettings({ ...base(), JULES_API_TOKENS: " " }).ops.apiTokensFile, undefined);
    const s = loadSettings({ ...base(), JULES_API_TOKEN: "operator-token-0123456789", JULES_API_TOKENS: join(dir, ".", "tokens.json") });
    assert.equal(s.ops.apiTokensFile, join(dir, "tokens.json"));
    assert.ok(s.secrets.includes("operator-token-0123456789"), "the operator token stays a secret");
    assert.ok(!s.secrets.some((x) => x.includes(entry.hash) || entry.hash.includes(x)), "no token hash is in the secret list");
  });

  it("documents every setting in .env.example, and nothing that does not exist", () => {
    const example = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
    const documented = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    assert.deepEqual([...documented].sort(), [...SETTING_NAMES].sort());
  });
});
