import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gitOut } from "../helpers/git/repo.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

/**
 * Logs every git command the code under test starts: a `git` first on PATH
 * writes its arguments to a log and hands over to the real git. Commands git
 * starts itself (remote-http, index-pack, upload-pack) come from its exec path
 * and are not logged. For one test file (vitest runs each in its own worker).
 */
export interface GitCommandLog {
  commands(): Promise<string[]>;
  reset(): Promise<void>;
  restore(): Promise<void>;
}

export async function logGitCommands(): Promise<GitCommandLog> {
  const dir = await tempDir("openjules-git-shim-");
  const log = join(dir, "commands.log");
  const saved = process.env.PATH;
  const realGit = join((await gitOut(dir, "--exec-path")).replace(/\/(libexec|lib)\/git-core$/, ""), "bin", "git");
  await writeFile(join(dir, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
  await chmod(join(dir, "git"), 0o755);
  process.env.PATH = `${dir}:${saved ?? "/usr/bin:/bin"}`;
  return {
    commands: async () => (await readFile(log, "utf8").catch(() => "")).split("\n").filter(Boolean),
    reset: () => writeFile(log, ""),
    async restore() {
      process.env.PATH = saved;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
