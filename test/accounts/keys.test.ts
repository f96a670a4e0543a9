import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "vitest";
import { createKeyUseCases, openUserKey } from "../../src/accounts/keys.ts";
import type { Caller } from "../../src/domain/actor.ts";
import { open } from "../../src/security/sealed.ts";
import type { Result } from "../../src/tasks/control/port.ts";
import { operator, user, withHarness } from "../tasks/control/harness.ts";

const SECRET_KEY = Buffer.alloc(32, 7);
const API_KEY = "sk-proj-monas-own-key-0123456789abcdefghijklmnopqrstuvwxyzABCD";
const value = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`expected a value, got ${result.error.code}: ${result.error.detail}`);
  return result.value;
};
const error = (result: Result<unknown>) => {
  assert.equal(result.ok, false, "expected a refusal");
  return (result as Extract<Result<unknown>, { ok: false }>).error;
};

/** The caller's provider keys in the real SQLite store of a test app (store.accounts). */
describe("account use cases: provider keys", () => {
  const h = withHarness();
  const keys = (allowUserKeys = true) =>
    createKeyUseCases({ accounts: h().app.deps.store.accounts, allowUserKeys, secretKey: SECRET_KEY, now: () => new Date("2026-05-01T10:00:00Z") });

  it("saves a key sealed at rest: neither the store's value nor the database file holds it, and it opens with the secret key only", async () => {
    const saved = value(await keys().save(user("Mona", { face: "web" }), { provider: "openai", apiKey: ` ${API_KEY}\n` }));
    assert.deepEqual(saved, { provider: "openai", last4: "ABCD", createdAt: "2026-05-01T10:00:00.000Z" });
    const stored = await h().app.deps.store.accounts.getUserKey("mona", "openai");
    assert.ok(stored);
    assert.match(stored.sealed, /^v1\./);
    assert.ok(!stored.sealed.includes(API_KEY) && !stored.sealed.includes(API_KEY.slice(8, 40)));
    assert.equal(open(stored.sealed, SECRET_KEY), API_KEY, "trimmed, and sealed under JULES_SECRET_KEY");
    assert.equal(open(stored.sealed, Buffer.alloc(32, 8)), null);
    const files = (await readdir(h().app.dataDir)).filter((name) => name.startsWith("openjules.db"));
    assert.ok(files.length > 0, "the SQLite database is in the data directory");
    for (const name of files) {
      const bytes = await readFile(join(h().app.dataDir, name));
      assert.ok(!bytes.includes(API_KEY.slice(10, 40)), `${name} holds the key in clear`);
    }
    assert.deepEqual(await openUserKey({ accounts: h().app.deps.store.accounts, secretKey: SECRET_KEY }, "MONA", "openai"), { found: true, apiKey: API_KEY, last4: "ABCD" });
    assert.deepEqual(await openUserKey({ accounts: h().app.deps.store.accounts, secretKey: Buffer.alloc(32, 9) }, "mona", "openai"), { found: false, reason: "unreadable" });
  });

  it("lists provider, last four and date, never the key; one key per provider, replaced by a new save", async () => {
    await keys().save(user("mona"), { provider: "openai", apiKey: API_KEY });
    await keys().save(user("mona"), { provider: "anthropic", apiKey: "sk-ant-monas-anthropic-key-0123456789abcdefghijWXYZ" });
    await keys().save(user("mona"), { provider: "openai", apiKey: "sk-proj-a-newer-openai-key-0123456789abcdefghijEFGH" });
    await keys().save(user("hubot"), { provider: "openai", apiKey: "sk-proj-hubots-key-0123456789abcdefghijklmnopIJKL" });
    const listed = value(await keys().list(user("mona")));
    assert.equal(listed.enabled, true);
    assert.deepEqual(listed.keys.map((k) => [k.provider, k.last4]).sort(), [
      ["anthropic", "WXYZ"],
      ["openai", "EFGH"],
    ]);
    assert.ok(listed.keys.every((k) => Object.keys(k).sort().join() === "createdAt,last4,provider"));
    assert.ok(!JSON.stringify(listed).includes("sk-"));
  });

  it("deletes a key (then it is gone, and deleting again is not found); another's key is untouched", async () => {
    await keys().save(user("mona"), { provider: "openai", apiKey: API_KEY });
    await keys().save(user("hubot"), { provider: "openai", apiKey: "sk-proj-hubots-key-0123456789abcdefghijklmnopIJKL" });
    assert.deepEqual(value(await keys().remove(user("mona"), "openai")), { deleted: true });
    assert.deepEqual(value(await keys().list(user("mona"))).keys, []);
    assert.equal(error(await keys().remove(user("mona"), "openai")).code, "not_found");
    assert.equal(value(await keys().list(user("hubot"))).keys.length, 1);
    assert.deepEqual(await openUserKey({ accounts: h().app.deps.store.accounts, secretKey: SECRET_KEY }, "mona", "openai"), { found: false, reason: "missing" });
  });

  it("refuses what is not a key, a read-only token, the operator token; when keys are off, says so naming JULES_ALLOW_USER_KEYS", async () => {
    assert.equal(error(await keys().save(user("mona"), { provider: "openai", apiKey: "has a space in it" })).code, "invalid");
    assert.equal(error(await keys().save(user("mona"), { provider: "openai", apiKey: "short" })).code, "invalid");
    assert.equal(error(await keys().save(user("mona", { scopes: ["read"] }), { provider: "openai", apiKey: API_KEY })).code, "forbidden");
    const noUser = error(await keys().list(operator("api")));
    assert.equal(noUser.code, "invalid");
    assert.match(noUser.detail, /operator token has no user/);
    const signedIn: Caller = { principal: { kind: "operator", login: "octo-admin" }, face: "web" };
    assert.equal(value(await keys().save(signedIn, { provider: "openai-compatible", apiKey: "local-llm-key-1234" })).last4, "1234");

    assert.deepEqual(value(await keys(false).list(user("mona"))), { enabled: false, keys: [] });
    for (const refused of [await keys(false).save(user("mona"), { provider: "openai", apiKey: API_KEY }), await keys(false).remove(user("mona"), "openai")]) {
      assert.deepEqual([error(refused).code, error(refused).title], ["conflict", "Provider keys are off"]);
      assert.match(error(refused).detail, /JULES_ALLOW_USER_KEYS/);
    }
  });
});
