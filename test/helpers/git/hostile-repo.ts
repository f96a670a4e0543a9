import { execFile } from "node:child_process";
import { chmod, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gitEnv } from "../../../src/workspace/git.ts";
import type { CommitSpec } from "./repo.ts";
import { BASE_COMMITS, tempDir, workspaceFixture, type WorkspaceFixture } from "./workspace-fixture.ts";

/**
 * The attack of issue 8 (item 1), as repository code would run it in the
 * sandbox: a nested git repository whose own `.git/config` defines a clean,
 * smudge and process filter, a textconv, an external diff, `core.fsmonitor`,
 * a pager and an editor, with hooks and a `.gitattributes` applying the
 * filter and the diff driver to every file, and a committed file then
 * modified (so a `git status` in it must run the filter to compare). Each of
 * them, when run, creates a file in `markers`, a host directory outside the
 * worktree that anyone can write (so a command run by any uid leaves its
 * mark; inside the sandbox that path does not exist).
 */

/** A world-writable directory for markers (its parent must be searchable). */
export async function markerDir(parent: string): Promise<string> {
  const dir = join(parent, "markers");
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o777);
  return dir;
}

/** Names of the markers left so far: empty unless something from the nested repository ran. */
export const markersIn = (dir: string) => readdir(dir);

/** A POSIX shell script that makes `path` (relative to the cwd) a hostile repository. */
export function hostileRepoScript(path: string, markers: string): string {
  const mark = (what: string) => `mktemp ${markers}/${what}.XXXXXX >/dev/null`;
  const config: [string, string][] = [
    ["filter.x.clean", `${mark("clean")}; cat`],
    ["filter.x.smudge", `${mark("smudge")}; cat`],
    ["filter.x.process", `${mark("process")}; exit 1`],
    ["filter.x.required", "false"],
    ["diff.x.textconv", `${mark("textconv")}; cat`],
    ["diff.external", mark("external-diff")],
    ["core.fsmonitor", `${mark("fsmonitor")}; exit 1`],
    ["core.pager", `${mark("pager")}; cat`],
    ["core.editor", mark("editor")],
    ["core.sshCommand", mark("ssh")],
    ["core.askPass", mark("askpass")],
  ];
  const hooks = ["pre-commit", "post-commit", "post-checkout", "post-index-change", "reference-transaction", "pre-push", "post-merge", "pre-auto-gc"];
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    "set -e",
    `mkdir -p ${q(path)}`,
    `cd ${q(path)}`,
    "git init -q .",
    "echo 'hello' > data.txt",
    "echo '* filter=x diff=x' > .gitattributes",
    "git add -A",
    "git -c user.name=x -c user.email=x@example.com commit -q -m x",
    "echo 'changed' > data.txt",
    ...config.map(([key, value]) => `git config ${key} ${q(value)}`),
    ...hooks.map((hook) => `printf '#!/bin/sh\\n%s\\n' ${q(mark(`hook-${hook}`))} > .git/hooks/${hook} && chmod +x .git/hooks/${hook}`),
  ].join("\n");
}

/** Runs the script on the host as this process's user (what sandboxed code can do to the worktree's files), with no git config of ours. */
export async function plantHostileRepo(worktree: string, path: string, markers: string): Promise<void> {
  const env = { ...gitEnv(), GIT_CONFIG_COUNT: "0" };
  await promisify(execFile)("sh", ["-c", hostileRepoScript(path, markers)], { cwd: worktree, env });
}

/** The workspace fixture's base commits plus a submodule link at `vendor/lib` (named in .gitmodules) to `linked`. */
export function withSubmodule(linked: string): CommitSpec[] {
  const gitmodules = '[submodule "lib"]\n\tpath = vendor/lib\n\turl = https://example.com/lib.git\n';
  return [...BASE_COMMITS, { files: { ".gitmodules": gitmodules, "vendor/lib": { gitlink: linked } }, message: "vendor lib" }];
}

export interface SubmoduleAttackFixture {
  /** A workspace fixture over withSubmodule(linked), one spare per repository (so worktrees are recycled). */
  ws: WorkspaceFixture;
  /** A fresh marker directory. */
  markers(name: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function submoduleAttackFixture(linked: string): Promise<SubmoduleAttackFixture> {
  const ws = await workspaceFixture({ sparesPerRepo: 1 }, withSubmodule(linked));
  const parent = await tempDir("openjules-markers-");
  return {
    ws,
    markers: (name) => markerDir(join(parent, name)),
    async cleanup() {
      await ws.cleanup();
      await rm(parent, { recursive: true, force: true });
    },
  };
}
