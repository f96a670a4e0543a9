import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { basicAuthHeader } from "../../src/workspace/git.ts";
import { spyOnGit, type GitSpy } from "../helpers/git/spy.ts";
import { TOKEN, workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";

/**
 * Every git process we start is observed through a wrapper named `git` placed
 * first on PATH (test/helpers/git/spy.ts): it records its argv and environment,
 * then runs the real git.
 */
describe("workspace: how git is run", () => {
  let fx: WorkspaceFixture;
  let spy: GitSpy;
  beforeAll(async () => {
    fx = await workspaceFixture();
    spy = await spyOnGit();
    process.env.OPENJULES_APP_SECRET = "app-secret-canary";
  });
  afterAll(async () => {
    await spy.restore();
    delete process.env.OPENJULES_APP_SECRET;
    await fx.cleanup();
  });

  it("never puts the token in argv, passes it per command as an env config header, with no user config and no inherited secrets", async () => {
    const ws = await fx.manager.prepare(fx.request("t-spy"));
    await ws.dispose();
    const calls = await spy.calls();
    const argv = calls.flatMap((call) => call.argv).join("\n");
    const envs = calls.map((call) => call.env);
    assert.ok(argv.includes("fetch"), "the wrapper saw the fetch");
    assert.ok(!argv.includes(TOKEN) && !argv.includes(basicAuthHeader(TOKEN)));
    assert.ok(envs.length > 3);
    for (const env of envs) {
      assert.match(env, /^HOME=\/dev\/null$/m);
      assert.match(env, /^GIT_CONFIG_NOSYSTEM=1$/m);
      assert.match(env, /^GIT_CONFIG_GLOBAL=\/dev\/null$/m);
      assert.match(env, /^GIT_TERMINAL_PROMPT=0$/m);
      assert.match(env, /^GIT_CONFIG_VALUE_\d+=\/dev\/null$/m, "hooks are disabled");
      assert.ok(!env.includes("app-secret-canary"));
    }
    const withToken = envs.filter((env) => env.includes(TOKEN) || env.includes(basicAuthHeader(TOKEN)));
    assert.ok(withToken.length > 0 && withToken.length < envs.length, "only commands that may reach the remote get the token");
    for (const env of withToken) {
      const origin = new URL(fx.url).origin;
      assert.match(env, new RegExp(`^GIT_CONFIG_KEY_\\d+=http\\.${origin.replace(/[.]/g, "\\.")}/\\.extraHeader$`, "m"));
      assert.ok(env.includes(`=Authorization: ${basicAuthHeader(TOKEN)}\n`));
    }
  });
});
