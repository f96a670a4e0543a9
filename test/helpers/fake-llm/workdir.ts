import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ToolContext } from "../../../src/agent/tools/tool.ts";
import { ToolStats } from "../../../src/agent/tools/stats.ts";

/**
 * A real working copy on disk for agent tests: a temp directory filled with
 * the given files, plus a ToolContext over it. `cleanup` removes it.
 */

export interface Workdir {
  root: string;
  cleanup(): Promise<void>;
}

export async function makeWorkdir(files: Record<string, string | Buffer>): Promise<Workdir> {
  const root = await mkdtemp(join(tmpdir(), "openjules-agent-"));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export const toolContext = (root: string, overrides: Partial<ToolContext> = {}): ToolContext => ({
  root,
  denyPaths: [".github/workflows/**"],
  mode: "execute",
  commandTimeoutMs: 60_000,
  stats: new ToolStats(),
  ...overrides,
});
