import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { basicAuthHeader } from "../../src/workspace/git.ts";
import { WorkspaceError } from "../../src/workspace/manager.ts";
import { mirrorPath } from "../../src/workspace/mirror-cache.ts";
import { gitOut } from "../helpers/git/repo.ts";
import { filesContaining, TOKEN, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

describe("workspace: cloning with an installation token", () => {
  let fx: WorkspaceFixture;
  beforeAll(async () => {
    fx = await workspaceFixture();
  });
  afterAll(() => fx.cleanup());

  it("clones through smart HTTP with the token on every request and checks out the base branch", async () => {
    const ws = await fx.manager.prepare(fx.request("t-clone"));
    try {
      assert.equal(await readFile(join(ws.dir, "src/index.js"), "utf8"), "export const answer = 41 + 1;\n");
      assert.equal(ws.baseSha, await gitOut(fx.server.repoPath("acme", "widget"), "rev-parse", "main"));
      assert.equal(await gitOut(ws.dir, "rev-parse", "HEAD"), ws.baseSha);
      assert.ok(fx.server.requests.length > 0);
      assert.ok(fx.server.requests.every((r) => r.token === TOKEN && r.status === 200));
      const mirror = mirrorPath(fx.dataDir, fx.request("x"));
      // The tip only, blobs included: no partial clone, so nothing is ever fetched lazily one object at a time.
      assert.equal(await gitOut(mirror, "rev-parse", "--is-shallow-repository"), "true");
      assert.equal(await gitOut(mirror, "config", "--default", "none", "extensions.partialClone"), "none");
      assert.equal(await gitOut(mirror, "rev-parse", "--is-bare-repository"), "true");
    } finally {
      await ws.dispose();
    }
  });

  it("never stores the token: not in the mirror's or worktree's config, nor in any file under the data directory", async () => {
    const ws = await fx.manager.prepare(fx.request("t-hygiene"));
    try {
      const mirror = mirrorPath(fx.dataDir, fx.request("x"));
      const config = await readFile(join(mirror, "config"), "utf8");
      assert.ok(!config.includes(TOKEN) && !/extraheader|authorization/i.test(config), config);
      assert.equal(await gitOut(ws.dir, "config", "--get-regexp", "remote\\.origin\\.url"), `remote.origin.url ${fx.url}`);
      assert.deepEqual(await filesContaining(fx.dataDir, TOKEN), []);
      assert.deepEqual(await filesContaining(fx.dataDir, basicAuthHeader(TOKEN).slice(6)), []);
    } finally {
      await ws.dispose();
    }
  });

  it("reports an authentication failure without echoing the token", async () => {
    const wrong = "ghs_wrongTokenBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    const error = await fx.manager.prepare(fx.request("t-badtoken", { token: async () => wrong, owner: "acme", repo: "widget" })).then(
      () => assert.fail("prepare should fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof WorkspaceError);
    assert.equal(error.code, "auth_failed");
    assert.match(error.message, /403/);
    for (const secret of [wrong, basicAuthHeader(wrong), basicAuthHeader(wrong).slice(6)]) assert.ok(!error.message.includes(secret));
    assert.ok(fx.server.requests.some((r) => r.token === wrong && r.status === 403));
  });

  it("picks up a refreshed token: a rejected command is retried once with the provider's new token", async () => {
    const fresh = "ghs_refreshedCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
    const ws = await fx.manager.prepare(fx.request("t-refresh"));
    try {
      // The installation token expires: the server now only accepts the new one.
      fx.server.validTokens.clear();
      fx.server.validTokens.add(fresh);
      const issued = [TOKEN, fresh];
      const provider = async () => issued.shift() ?? fresh;
      const before = fx.server.requests.length;
      const again = await fx.manager.prepare(fx.request("t-refresh-2", { token: provider }));
      await again.dispose();
      const seen = fx.server.requests.slice(before);
      assert.equal(seen[0]?.token, TOKEN);
      assert.equal(seen[0]?.status, 403);
      assert.ok(seen.slice(1).length > 0 && seen.slice(1).every((r) => r.token === fresh && r.status === 200));
    } finally {
      await ws.dispose();
      fx.server.validTokens.add(TOKEN);
    }
  });

  it("refuses clone URLs with credentials or other schemes", async () => {
    for (const cloneUrl of ["https://x-access-token:abc@github.com/acme/widget.git", "ssh://git@github.com/acme/widget.git", "file:///etc"]) {
      await assert.rejects(fx.manager.prepare(fx.request("t-url", { cloneUrl })), (e: unknown) => e instanceof WorkspaceError && e.code === "invalid_input");
    }
    await assert.rejects(fx.manager.prepare(fx.request("../escape")), (e: unknown) => e instanceof WorkspaceError && e.code === "invalid_input");
    await assert.rejects(fx.manager.prepare(fx.request("t-base", { baseBranch: "-bad" })), (e: unknown) => e instanceof WorkspaceError && e.code === "invalid_input");
    await assert.rejects(fx.manager.prepare(fx.request("t-base2", { baseBranch: "nope" })), (e: unknown) => e instanceof WorkspaceError && e.code === "branch_not_found");
  });
});
