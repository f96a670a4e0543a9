import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { git, GitError, gitEnv, type GitRunOptions } from "../../src/workspace/git.ts";
import { spyOnGit, type GitSpy } from "../helpers/git/spy.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

/**
 * Issue 10: git goes through simple-git with its unsafe-option guards on.
 * Each command below would run a program named by a caller's argument (a
 * branch or remote name that is really an option) or replace the workspace's
 * fixed config; it is refused before any git process starts (the spy on PATH
 * sees none) and the program never runs (no marker).
 */

describe("workspace git: refused before git runs", () => {
  let dir: string;
  let marker: string;
  let spy: GitSpy;
  const url = "http://127.0.0.1:9/acme/widget.git";
  beforeAll(async () => {
    dir = await tempDir("openjules-git-guards-");
    marker = join(dir, "MARKER");
    await git(["init", "--quiet", dir], { cwd: dir });
    spy = await spyOnGit();
  });
  afterAll(async () => {
    await spy.restore();
  });
  beforeEach(async () => assert.deepEqual(await spy.calls(), []));

  async function refused(args: string[], why: RegExp, extra: Partial<GitRunOptions> = {}): Promise<void> {
    const error = await git(args, { cwd: dir, ...extra }).then(
      () => assert.fail(`git ${args.join(" ")} ran`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GitError, String(error));
    expect(error.message).toMatch(/was refused/);
    expect(error.message).toMatch(why);
    assert.equal(error.exitCode, null);
    assert.deepEqual(await spy.calls(), [], "no git process was started");
    await assert.rejects(access(marker), "the smuggled program did not run");
  }

  const touch = () => `touch ${marker}`;

  it("simple-git refuses options that run a program, wherever a name lands in the command", async () => {
    await refused(["fetch", `--upload-pack=${touch()}`, "origin"], /allowUnsafePack/);
    await refused(["ls-remote", "--heads", `--upload-pack=${touch()}`, url], /allowUnsafePack/); // a "remote name"
    await refused(["push", "--quiet", "origin", `--receive-pack=${touch()}`], /allowUnsafePack/); // a "branch name"
    await refused(["push", `--exec=${touch()}`, url, "HEAD"], /allowUnsafePack/);
    await refused(["clone", "-u", touch(), url, join(dir, "clone")], /allowUnsafePack/);
    await refused(["clone", `--template=${dir}`, url, join(dir, "clone")], /allowUnsafeTemplateDir/);
    await refused(["--git-dir", dir, "status"], /allowUnsafeConfigPaths/);
  });

  it("simple-git refuses config that runs a program or widens the protocols", async () => {
    await refused(["-c", "protocol.ext.allow=always", "ls-remote", `ext::sh -c ${touch()}`], /allowUnsafeProtocolOverride/);
    await refused(["-c", `core.sshCommand=${touch()}`, "fetch", "origin"], /allowUnsafeSshCommand/);
    await refused(["-c", `alias.st=!${touch()}`, "st"], /allowUnsafeAlias/);
    await refused(["-c", `filter.x.clean=${touch()}`, "add", "."], /allowUnsafeFilter/);
    await refused(["-c", `diff.x.textconv=${touch()}`, "diff"], /allowUnsafeDiffTextConv/);
  });

  it("the fixed config cannot be replaced on the command line, a header never goes there, no foreign environment", async () => {
    await refused(["-c", `core.hooksPath=${dir}`, "commit", "--allow-empty", "-m", "x"], /core\.hookspath is fixed/);
    await refused(["-c", `credential.helper=!${touch()}`, "fetch", "origin"], /credential\.helper is fixed/);
    await refused(["-c", "protocol.allow=always", "fetch", "origin"], /protocol\.allow is fixed/);
    await refused(["-c", "http.extraHeader=Authorization: Basic eDp5", "ls-remote", url], /never passed on the command line/);
    await refused(["-c", "http.https://github.com/.extraheader=Authorization: Basic eDp5", "ls-remote", url], /never passed on the command line/);
    await refused(["--config-env=core.pager=PAGER", "log"], /--config-env/);
    await refused(["fetch", "origin"], /not GIT_SSH_COMMAND/, { env: { GIT_SSH_COMMAND: touch() } });
    await refused(["status"], /not GIT_CONFIG_COUNT/, { env: { GIT_CONFIG_COUNT: "0" } });
    await refused(["status"], /not HOME/, { env: { HOME: dir } });
  });

  it("refuses to run while DEBUG turns on simple-git's debug log, which prints each command's environment (the token)", async () => {
    const saved = process.env.DEBUG;
    try {
      for (const value of ["simple-git", "simple-git:*", "*", "probot,simple*"]) {
        process.env.DEBUG = value;
        await refused(["status"], /simple-git's debug log/);
      }
      process.env.DEBUG = "probot:*";
      await git(["status", "--short"], { cwd: dir });
      assert.equal((await spy.calls()).length, 1);
    } finally {
      if (saved === undefined) delete process.env.DEBUG;
      else process.env.DEBUG = saved;
    }
  });
});

describe("workspace git: the refused commands are live", () => {
  it("the same alias run by plain git (no simple-git, no guard) does run its program", async () => {
    const dir = await tempDir("openjules-git-guards-control-");
    const marker = join(dir, "MARKER");
    await promisify(execFile)("git", ["-c", `alias.st=!touch ${marker}`, "st"], { cwd: dir, env: gitEnv() });
    await access(marker);
  });
});
