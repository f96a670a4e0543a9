import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { access, chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { git } from "../../src/workspace/git.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

/**
 * The app's own environment may point git at hostile config: a ~/.gitconfig,
 * an XDG config, GIT_CONFIG_GLOBAL / GIT_CONFIG_SYSTEM files, or config in
 * GIT_CONFIG_PARAMETERS / GIT_CONFIG_COUNT. Each defines hooks, an fsmonitor,
 * a pager, an alias, a filter and a textconv that write a marker. The
 * workspace's git reads none of it. A control run of plain git in the app's
 * environment proves the hostile config is live.
 */

const ENV_NAMES = ["HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0"];

describe("workspace git: user and system config are ignored", () => {
  let root: string;
  let marker: string;
  const saved = new Map(ENV_NAMES.map((name) => [name, process.env[name]]));
  beforeAll(async () => {
    root = await tempDir("openjules-hostile-home-");
    marker = join(root, "MARKER");
    const mark = join(root, "mark.sh");
    await writeFile(mark, `#!/bin/sh\necho "mark $*" >> ${marker}\n`);
    const filter = join(root, "filter.sh"); // a clean/smudge filter or a textconv: passes the content on
    await writeFile(filter, `#!/bin/sh\necho "filter $*" >> ${marker}\nexec cat "$@"\n`);
    for (const script of [mark, filter]) await chmod(script, 0o755);
    const hooks = join(root, "hooks");
    await mkdir(hooks);
    for (const hook of ["pre-commit", "post-commit", "reference-transaction", "post-checkout", "pre-push", "post-index-change"]) {
      await writeFile(join(hooks, hook), `#!/bin/sh\necho ${hook} >> ${marker}\n`);
      await chmod(join(hooks, hook), 0o755);
    }
    const config = [
      `[core]\n\thooksPath = ${hooks}\n\tfsmonitor = ${mark}\n\tpager = ${mark}\n`,
      `[alias]\n\tst = !${mark}\n`,
      `[filter "evil"]\n\tclean = ${filter}\n\tsmudge = ${filter}\n\trequired = true\n`,
      `[diff "evil"]\n\ttextconv = ${filter}\n`,
      `[pager]\n\tlog = ${mark}\n`,
    ].join("");
    await writeFile(join(root, ".gitconfig"), config);
    await mkdir(join(root, ".config", "git"), { recursive: true });
    await writeFile(join(root, ".config", "git", "config"), config);
    await writeFile(join(root, "global"), config);
    await writeFile(join(root, "system"), config);
    Object.assign(process.env, {
      HOME: root,
      XDG_CONFIG_HOME: join(root, ".config"),
      GIT_CONFIG_GLOBAL: join(root, "global"),
      GIT_CONFIG_SYSTEM: join(root, "system"),
      GIT_CONFIG_PARAMETERS: `'core.hooksPath'='${hooks}'`,
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "core.fsmonitor",
      GIT_CONFIG_VALUE_0: mark,
    });
  });
  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(root, { recursive: true, force: true });
  });

  async function exercise(run: (args: string[], cwd: string) => Promise<unknown>, repo: string): Promise<void> {
    await mkdir(repo);
    await run(["init", "--quiet", repo], repo);
    await writeFile(join(repo, ".gitattributes"), "*.txt filter=evil diff=evil\n");
    await writeFile(join(repo, "a.txt"), "one\n");
    await run(["add", "--all"], repo);
    await run(["-c", "user.name=J", "-c", "user.email=j@example.com", "commit", "--quiet", "-m", "one"], repo);
    await writeFile(join(repo, "a.txt"), "two\n");
    await run(["status", "--porcelain"], repo);
    await run(["diff"], repo);
    await run(["log", "--oneline"], repo);
    await run(["checkout", "--quiet", "-b", "other"], repo);
    await run(["st"], repo).catch(() => undefined); // an alias only hostile config defines
  }

  it("a control run of plain git in the app's environment runs the hostile config", async () => {
    await exercise((args, cwd) => promisify(execFile)("git", args, { cwd, env: process.env }), join(root, "control"));
    const ran = await readFile(marker, "utf8");
    await rm(marker);
    for (const what of ["pre-commit", "post-commit", "reference-transaction", "post-checkout", "filter", "mark"])
      assert.ok(ran.includes(what), `${what} ran in the control:\n${ran}`);
  });

  it("the workspace's git runs none of it: no hook, fsmonitor, pager, alias, filter or textconv", async () => {
    await exercise((args, cwd) => git(args, { cwd }), join(root, "workspace"));
    await assert.rejects(access(marker), "nothing wrote the marker");
  });
});
