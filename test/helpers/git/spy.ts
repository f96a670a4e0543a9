import { chmod, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "./workspace-fixture.ts";

/**
 * A wrapper named `git` placed first on PATH: every git process the code
 * starts records its argv (exactly what `/proc/<pid>/cmdline` shows: the
 * wrapper execs the real git in the same process) and its environment, then
 * runs the real git.
 */

export interface GitCall {
  argv: string[];
  env: string;
}

export interface GitSpy {
  calls(): Promise<GitCall[]>;
  restore(): Promise<void>;
}

export async function spyOnGit(realGit = "/usr/bin/git"): Promise<GitSpy> {
  const dir = await tempDir("openjules-git-spy-");
  const script = ["#!/bin/sh", `f=$(mktemp -p ${dir} call.XXXXXX)`, `tr '\\0' '\\n' < /proc/$$/cmdline > "$f.argv"`, `env > "$f.env"`, `exec ${realGit} "$@"`].join("\n");
  await writeFile(join(dir, "git"), `${script}\n`);
  await chmod(join(dir, "git"), 0o755);
  const savedPath = process.env.PATH;
  process.env.PATH = `${dir}:${savedPath ?? "/usr/bin:/bin"}`;
  return {
    async calls() {
      const names = (await readdir(dir)).filter((name) => name.endsWith(".argv")).sort();
      return Promise.all(
        names.map(async (name) => {
          const base = join(dir, name.slice(0, -".argv".length));
          // cmdline is the shell running this script: drop "sh" and the script's path.
          const argv = (await readFile(`${base}.argv`, "utf8")).split("\n").slice(2, -1);
          return { argv, env: await readFile(`${base}.env`, "utf8") };
        }),
      );
    },
    async restore() {
      process.env.PATH = savedPath;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
