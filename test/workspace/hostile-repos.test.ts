import assert from "node:assert/strict";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { runTool } from "../../src/agent/tools/run.ts";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";
import { invoke } from "../helpers/fake-llm/invoke-tool.ts";
import { toolContext } from "../helpers/fake-llm/workdir.ts";
import { gitOut } from "../helpers/git/repo.ts";
import { hostileRepoScript, markersIn, plantHostileRepo, submoduleAttackFixture, type SubmoduleAttackFixture } from "../helpers/git/hostile-repo.ts";
import { workspaceFixture, type WorkspaceFixture } from "../helpers/git/workspace-fixture.ts";
import { agentWrote } from "../helpers/git/agent-wrote.ts";

/**
 * Issue 8, item 1, through a submodule path the repository already has: its
 * base commit links `vendor/lib` (mode 160000, named in .gitmodules), so a
 * fresh worktree holds an empty `vendor/lib/`. Repository code only has to
 * fill it with a hostile repository: git, asked about the worktree, would
 * recurse into it and run its filters. None of the app's git commands on the
 * worktree (commit, diff, the scrub when the worktree is recycled, the next
 * task's checkout) may run anything from it, the link is never changed, and
 * a recycled worktree holds nothing of it. The last test makes both a new
 * nested repository and the hostile submodule through the agent's `run`
 * tool, in the real bubblewrap sandbox, as the model would.
 */
const LINKED = "2222222222222222222222222222222222222222";

describe("workspace: hostile repositories in the worktree (a submodule path the base links, a new nested one)", { timeout: 180_000 }, () => {
  let attack: SubmoduleAttackFixture;
  let fx: WorkspaceFixture;
  beforeAll(async () => {
    attack = await submoduleAttackFixture(LINKED);
    fx = attack.ws;
  });
  afterAll(() => attack.cleanup());

  it("recycling the worktree runs nothing from it and the next task gets an empty submodule directory", async () => {
    const markers = await attack.markers("scrub");
    const ws = await fx.manager.prepare(fx.request("t-sub-scrub"));
    assert.deepEqual(await readdir(join(ws.dir, "vendor/lib")), [], "a fresh checkout leaves the submodule directory empty");
    await plantHostileRepo(ws.dir, "vendor/lib", markers);
    await ws.dispose();
    assert.deepEqual(await markersIn(markers), [], "nothing ran while the worktree was scrubbed and parked");
    const next = await fx.manager.prepare(fx.request("t-sub-scrub-next"));
    try {
      assert.deepEqual(await readdir(join(next.dir, "vendor/lib")), [], "the recycled worktree holds nothing of the hostile repository");
      assert.deepEqual(await markersIn(markers), []);
    } finally {
      await next.dispose();
    }
  });

  it("commit and diff run nothing from it and never change the link; the commit says what was left out", async () => {
    const markers = await attack.markers("commit");
    const ws = await fx.manager.prepare(fx.request("t-sub-commit"));
    try {
      await ws.createBranch("Use the constant", 3);
      await writeFile(join(ws.dir, "src/index.js"), "export const answer = 42;\n");
      await plantHostileRepo(ws.dir, "vendor/lib", markers);
      await agentWrote(ws);
      const outcome = await ws.commit({ subject: "Use the constant", body: "Simpler.", bot: { slug: "openjules", userId: 1 } });
      assert.deepEqual(await markersIn(markers), [], "nothing ran during the commit");
      assert.match(outcome.sha ?? "", /^[0-9a-f]{40}$/);
      assert.deepEqual(outcome.leftOut, [{ path: "vendor/lib", reason: "submodule" }]);
      assert.equal(await gitOut(ws.dir, "ls-tree", "HEAD", "vendor/lib"), `160000 commit ${LINKED}\tvendor/lib`, "the submodule link is unchanged");
      const diff = await ws.diff();
      assert.deepEqual(
        diff.files.map((f) => `${f.status} ${f.path}`),
        ["modified src/index.js"],
      );
      assert.deepEqual(await markersIn(markers), [], "nothing ran during the diff");
    } finally {
      await ws.dispose();
    }
    assert.deepEqual(await markersIn(markers), [], "nothing ran while the worktree was scrubbed and parked");
  });

  it("through the run tool in the real sandbox (a new nested repository and the submodule path): the app's git commands run nothing of them", async () => {
    const markers = await attack.markers("run");
    const runner = createSandboxRunner({ mode: "bubblewrap" });
    const ws = await fx.manager.prepare(fx.request("t-run-attack"));
    let disposed = false;
    try {
      await ws.createBranch("Use the constant", 4);
      const ctx = { ...toolContext(ws.dir, { runner, commandTimeoutMs: 60_000 }), changes: ws.changes };
      for (const path of ["evil", "vendor/lib"]) {
        const result = await invoke(runTool, { command: `${hostileRepoScript(path, markers)}\necho planted` }, ctx);
        assert.equal(result.isError, false, result.content);
        assert.match(result.content, /planted/);
      }
      assert.equal((await invoke(runTool, { command: "echo 'export const answer = 42;' > src/index.js", keep: true }, ctx)).isError, false);
      assert.ok((await readdir(join(ws.dir, "evil/.git"))).includes("config"), "the sandbox made the nested repository");
      await writeFile(join(ws.dir, "notes.txt"), "written by the agent's write_file\n");
      await agentWrote(ws);

      const outcome = await ws.commit({ subject: "Use the constant", body: "Simpler.", bot: { slug: "openjules", userId: 1 } });
      assert.deepEqual(await markersIn(markers), [], "nothing ran during the commit");
      assert.deepEqual(outcome.leftOut, [
        { path: "evil/", reason: "nested_repository" },
        { path: "vendor/lib", reason: "submodule" },
      ]);
      const tree = await gitOut(ws.dir, "ls-tree", "-r", "HEAD");
      assert.deepEqual(
        tree.split("\n").filter((line) => line.startsWith("160000")),
        [`160000 commit ${LINKED}\tvendor/lib`],
      );
      const diff = await ws.diff();
      assert.deepEqual(diff.files.map((f) => `${f.status} ${f.path}`).sort(), ["added notes.txt", "modified src/index.js"]);
      assert.deepEqual(await markersIn(markers), [], "nothing ran during the diff");

      await ws.dispose();
      disposed = true;
      assert.deepEqual(await markersIn(markers), [], "nothing ran while the worktree was scrubbed and parked");
      const next = await fx.manager.prepare(fx.request("t-run-attack-next"));
      try {
        assert.deepEqual(await readdir(join(next.dir, "vendor/lib")), []);
        assert.equal(await gitOut(next.dir, "status", "--porcelain", "--ignored", "--untracked-files=all"), "");
      } finally {
        await next.dispose();
      }
      assert.deepEqual(await markersIn(markers), []);
    } finally {
      if (!disposed) await ws.dispose();
    }
  });
});

describe("workspace: the git config the app's commands see in a worktree", () => {
  it("defines no filter, diff or merge driver and nothing else that runs a command", async () => {
    const fx = await workspaceFixture();
    try {
      const ws = await fx.manager.prepare(fx.request("t-config"));
      try {
        // A worktree `.gitattributes` (committed, or written by repository code) can name a driver: none may exist.
        const config = (await gitOut(ws.dir, "config", "--list", "--show-scope")).split("\n");
        const keys = config.map((line) => line.replace(/^\S+\t/, ""));
        assert.deepEqual(
          keys.filter((kv) => /^(filter|merge|include|includeif|alias|credential|gpg)\./i.test(kv) && kv !== "credential.helper="),
          [],
        );
        assert.deepEqual(
          keys.filter((kv) => /^diff\./i.test(kv)),
          ["diff.ignoresubmodules=all"],
        );
        const commands = keys.filter((kv) => /^core\.(fsmonitor|hookspath|pager|editor|sshcommand|askpass)=/i.test(kv));
        assert.deepEqual(commands.sort(), ["core.editor=false", "core.fsmonitor=false", "core.hookspath=/dev/null", "core.pager=cat"]);
        assert.ok(
          config.every((line) => /^(command|local)\t/.test(line)),
          `only our command-scope config and the mirror's own: ${config.join(" | ")}`,
        );
      } finally {
        await ws.dispose();
      }
    } finally {
      await fx.cleanup();
    }
  });
});
