/**
 * TaskStore contract, part 8 (the web app's accounts, `store.accounts`): web
 * sessions (created, found by id whatever the case of the hex, repositories
 * refreshed, revoked once, pruned when expired or revoked before a time),
 * users' provider keys (one per login and provider, replaced, listed newest
 * first, logins compared case-insensitively), spoken summaries (with and
 * without audio, the bytes exactly as written, replaced, only for a task that
 * exists). Logins, session ids and times are unique or far apart per case, so
 * a shared database works too.
 */
import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { StoreClosedError, TaskNotFoundError } from "../../src/store/errors.ts";
import type { SpokenSummary, UserKey, WebSession } from "../../src/store/port.ts";
import type { ContractContext } from "./contract.ts";
import { createdId } from "./contract-log.ts";

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
const sessionId = () => sha256(randomBytes(32));
const uniqueLogin = () => `Octo-Cat-${randomUUID().slice(0, 8)}`;

function session(overrides: Partial<WebSession> = {}): WebSession {
  return {
    id: sessionId(),
    login: uniqueLogin(),
    userId: 583231,
    csrfToken: randomBytes(16).toString("base64url"),
    githubToken: "v1.aXY.dGFn.Y3Q",
    repositories: ["Octo/Hello-World", "octo/spoon-knife"],
    repositoriesAt: "2030-01-01T10:00:00Z",
    createdAt: "2030-01-01T10:00:00.000Z",
    expiresAt: "2030-01-08T10:00:00.000Z",
    revokedAt: null,
    ...overrides,
  };
}

const key = (login: string, provider: UserKey["provider"], createdAt: string, last4 = "abcd"): UserKey => ({
  login,
  provider,
  sealed: `v1.${randomBytes(12).toString("base64url")}.tag.ct`,
  last4,
  createdAt,
});

const summary = (taskId: string, text: string, audio: Uint8Array | null, engine: string | null = null): SpokenSummary => ({
  taskId,
  textHash: sha256(text),
  text,
  audio,
  engine,
  createdAt: "2030-02-01T09:30:00.000Z",
});

export function accountCases(t: ContractContext): void {
  describe("web sessions", () => {
    it("keeps a session by the hash of its secret, with the login and repositories in lower case", async () => {
      const s = session();
      await t.store.accounts.createSession(s);
      const found = await t.store.accounts.findSession(s.id);
      assert.deepEqual(found, {
        ...s,
        login: s.login.toLowerCase(),
        repositories: ["octo/hello-world", "octo/spoon-knife"],
        repositoriesAt: "2030-01-01T10:00:00.000Z",
      });
      assert.deepEqual(await t.store.accounts.findSession(s.id.toUpperCase()), found, "the hex is compared whatever its case");
      assert.equal(await t.store.accounts.findSession(sessionId()), null);
      assert.equal(await t.store.accounts.findSession("not-a-hash"), null, "what cannot be a session's id finds nothing");
      await assert.rejects(t.store.accounts.createSession({ ...s, login: "someone-else" }), /already exists/);
      assert.equal((await t.store.accounts.findSession(s.id))?.login, s.login.toLowerCase(), "the first session is left as it was");
    });

    it("refreshes a session's repositories, and revokes it once", async () => {
      const s = session({ repositories: [] });
      await t.store.accounts.createSession(s);
      assert.deepEqual((await t.store.accounts.findSession(s.id))?.repositories, []);
      await t.store.accounts.updateSessionRepositories(s.id, ["Octo/New-Repo"], "2030-01-01T10:05:00Z");
      let found = await t.store.accounts.findSession(s.id);
      assert.deepEqual([found?.repositories, found?.repositoriesAt], [["octo/new-repo"], "2030-01-01T10:05:00.000Z"]);
      await t.store.accounts.revokeSession(s.id, "2030-01-02T08:00:00.000Z");
      await t.store.accounts.revokeSession(s.id, "2030-01-03T08:00:00.000Z");
      found = await t.store.accounts.findSession(s.id);
      assert.equal(found?.revokedAt, "2030-01-02T08:00:00.000Z", "a revoked session keeps the time it was first revoked");
      assert.equal(found?.expiresAt, s.expiresAt, "a revoked session is still found (the caller decides)");
      await t.store.accounts.updateSessionRepositories(sessionId(), ["a/b"], "2030-01-01T10:05:00Z");
      await t.store.accounts.revokeSession(sessionId(), "2030-01-01T10:05:00Z");
    });

    it("refuses a session that is not what the web face makes", async () => {
      const bad: Array<[Partial<WebSession>, RegExp]> = [
        [{ id: "secret-cookie-value" }, /session id must be a hex SHA-256/],
        [{ login: "" }, /login must be a non-empty string/],
        [{ login: "two words" }, /login must not contain spaces/],
        [{ userId: 0 }, /userId must be a positive integer/],
        [{ csrfToken: "" }, /csrfToken/],
        [{ githubToken: " " }, /githubToken/],
        [{ repositories: ["no-slash"] }, /owner\/name/],
        [{ expiresAt: "next week" }, /expiresAt must be an ISO 8601 time/],
      ];
      for (const [fields, message] of bad) await assert.rejects(t.store.accounts.createSession(session(fields)), message);
      await assert.rejects(t.store.accounts.updateSessionRepositories(sessionId(), ["a/b/c"], "2030-01-01T00:00:00Z"), /owner\/name/);
      await assert.rejects(t.store.accounts.revokeSession("x", "2030-01-01T00:00:00Z"), /hex SHA-256/);
      await assert.rejects(t.store.accounts.pruneSessions("yesterday"), /before must be an ISO 8601 time/);
    });

    it("prunes the sessions that expired or were revoked before a time, and only those", async () => {
      // 2001 is far from every other case's times, so a shared database's other sessions are not counted.
      const expired = session({ expiresAt: "2001-03-01T00:00:00.000Z", createdAt: "2001-02-01T00:00:00.000Z" });
      const revoked = session({ expiresAt: "2001-09-01T00:00:00.000Z", revokedAt: "2001-04-01T00:00:00.000Z" });
      const live = session({ expiresAt: "2001-09-01T00:00:00.000Z" });
      const revokedLater = session({ expiresAt: "2001-09-01T00:00:00.000Z", revokedAt: "2001-06-01T00:00:00.000Z" });
      const expiresAtTheCut = session({ expiresAt: "2001-05-01T00:00:00.000Z" });
      for (const s of [expired, revoked, live, revokedLater, expiresAtTheCut]) await t.store.accounts.createSession(s);
      assert.equal(await t.store.accounts.pruneSessions("2001-05-01T00:00:00Z"), 2);
      const left = await Promise.all([expired, revoked, live, revokedLater, expiresAtTheCut].map(async (s) => (await t.store.accounts.findSession(s.id)) !== null));
      assert.deepEqual(left, [false, false, true, true, true]);
      assert.equal(await t.store.accounts.pruneSessions("2001-05-01T00:00:00Z"), 0);
      assert.equal(await t.store.accounts.pruneSessions("2001-08-01T00:00:00Z"), 2, "the session revoked later, and the one expiring at the earlier cut");
      assert.ok(await t.store.accounts.findSession(live.id));
    });

    it("is the same database's: another store on it finds the session", async () => {
      const s = session();
      await t.store.accounts.createSession(s);
      const other = await t.fixture.openWith({});
      try {
        assert.equal((await other.accounts.findSession(s.id))?.csrfToken, s.csrfToken);
      } finally {
        await other.close();
      }
      await assert.rejects(other.accounts.findSession(s.id), StoreClosedError);
      await assert.rejects(other.accounts.listUserKeys("alice"), StoreClosedError);
    });
  });

  describe("users' provider keys", () => {
    it("keeps one key per login and provider, newest first, logins compared case-insensitively", async () => {
      const [alice, bob] = [uniqueLogin(), uniqueLogin()];
      const a1 = key(alice, "openai", "2030-03-01T00:00:00.000Z", "1111");
      const a2 = key(alice.toUpperCase(), "anthropic", "2030-03-02T00:00:00Z", "2222");
      const b1 = key(bob, "openai", "2030-03-03T00:00:00.000Z", "3333");
      for (const k of [a1, a2, b1]) await t.store.accounts.putUserKey(k);
      const lower = alice.toLowerCase();
      assert.deepEqual(await t.store.accounts.listUserKeys(alice.toLowerCase()), [
        { ...a2, login: lower, createdAt: "2030-03-02T00:00:00.000Z" },
        { ...a1, login: lower },
      ]);
      assert.deepEqual(await t.store.accounts.listUserKeys(bob), [{ ...b1, login: bob.toLowerCase() }]);
      assert.deepEqual(await t.store.accounts.getUserKey(alice.toUpperCase(), "openai"), { ...a1, login: lower });
      assert.equal(await t.store.accounts.getUserKey(bob, "anthropic"), null, "bob has no key of alice's");
      assert.deepEqual(await t.store.accounts.listUserKeys(uniqueLogin()), []);
    });

    it("replaces a user's key for a provider, and deletes it", async () => {
      const alice = uniqueLogin();
      await t.store.accounts.putUserKey(key(alice, "openai", "2030-04-01T00:00:00.000Z", "1111"));
      await t.store.accounts.putUserKey(key(alice, "openai-compatible", "2030-04-02T00:00:00.000Z", "2222"));
      const replacement = key(alice.toLowerCase(), "openai", "2030-04-03T00:00:00.000Z", "9999");
      await t.store.accounts.putUserKey(replacement);
      const keys = await t.store.accounts.listUserKeys(alice);
      assert.deepEqual(
        keys.map((k) => [k.provider, k.last4, k.sealed]),
        [
          ["openai", "9999", replacement.sealed],
          ["openai-compatible", "2222", keys[1]?.sealed],
        ],
        "the replacement is the newest, and the only openai key",
      );
      assert.equal(await t.store.accounts.deleteUserKey(alice.toUpperCase(), "openai"), true);
      assert.equal(await t.store.accounts.deleteUserKey(alice, "openai"), false, "nothing left to delete");
      assert.equal(await t.store.accounts.getUserKey(alice, "openai"), null);
      assert.deepEqual(
        (await t.store.accounts.listUserKeys(alice)).map((k) => k.provider),
        ["openai-compatible"],
      );
    });

    it("refuses a key that is not what the settings page saves", async () => {
      const alice = uniqueLogin();
      await assert.rejects(t.store.accounts.putUserKey(key(alice, "cohere" as never, "2030-01-01T00:00:00Z")), /provider must be one of openai, anthropic, openai-compatible/);
      await assert.rejects(t.store.accounts.putUserKey(key(alice, "openai", "2030-01-01T00:00:00Z", "sk-abcdef")), /last4 must be at most 4 characters/);
      await assert.rejects(t.store.accounts.putUserKey({ ...key(alice, "openai", "2030-01-01T00:00:00Z"), sealed: "" }), /sealed/);
      await assert.rejects(t.store.accounts.putUserKey(key("", "openai", "2030-01-01T00:00:00Z")), /login/);
      await assert.rejects(t.store.accounts.getUserKey(alice, "cohere" as never), /provider must be one of/);
      assert.deepEqual(await t.store.accounts.listUserKeys(alice), []);
    });
  });

  describe("spoken summaries", () => {
    it("keeps a summary without audio, and replaces it with one that has audio, byte for byte", async () => {
      const id = await createdId(t.store);
      assert.equal(await t.store.accounts.getSummary(id), null);
      const text = "Done: the greeting is configurable — “GREETING” ünïcode.\nPull request #12.";
      const silent = summary(id, text, null);
      await t.store.accounts.putSummary(silent);
      assert.deepEqual(await t.store.accounts.getSummary(id), silent);
      const bytes = new Uint8Array(3 * 256 + 5).map((_, i) => (i * 7) % 256);
      const spoken = summary(id, `${text} (a follow-up)`, bytes, "espeak-ng 1.51");
      await t.store.accounts.putSummary(spoken);
      const got = await t.store.accounts.getSummary(id);
      assert.deepEqual(got, spoken);
      assert.ok(got?.audio instanceof Uint8Array && Object.getPrototypeOf(got.audio) === Uint8Array.prototype, "plain bytes on every backend");
      assert.equal(Buffer.from(got.audio).toString("hex"), Buffer.from(bytes).toString("hex"));
    });

    it("stores only the bytes a view shows, and empty audio as empty", async () => {
      const id = await createdId(t.store);
      const whole = new Uint8Array([9, 9, 0, 1, 2, 255, 0, 9]);
      await t.store.accounts.putSummary(summary(id, "short", whole.subarray(2, 7), "engine"));
      assert.deepEqual((await t.store.accounts.getSummary(id))?.audio, new Uint8Array([0, 1, 2, 255, 0]));
      await t.store.accounts.putSummary(summary(id, "short", Buffer.from([]), "engine"));
      assert.deepEqual((await t.store.accounts.getSummary(id))?.audio, new Uint8Array(0));
    });

    it("keeps summaries for tasks that exist, apart per task", async () => {
      const [a, b] = [await createdId(t.store), await createdId(t.store)];
      await t.store.accounts.putSummary(summary(a, "first task", null));
      assert.equal(await t.store.accounts.getSummary(b), null);
      await assert.rejects(t.store.accounts.putSummary(summary("no-such-task", "text", null)), TaskNotFoundError);
      assert.equal(await t.store.accounts.getSummary("no-such-task"), null);
      await assert.rejects(t.store.accounts.putSummary({ ...summary(a, "x", null), textHash: "abc" }), /textHash must be a hex SHA-256/);
      await assert.rejects(t.store.accounts.putSummary({ ...summary(a, "x", null), audio: "UklGRg==" as never }), /audio must be bytes/);
      assert.equal((await t.store.accounts.getSummary(a))?.text, "first task");
    });
  });
}
