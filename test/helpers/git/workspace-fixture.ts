import { chmod, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkspaceManager, type WorkspaceManagerOptions } from "../../../src/workspace/manager.ts";
import { startGitServer, type GitServer } from "../git-server.ts";
import type { CommitSpec } from "./repo.ts";

/**
 * A git server with one repository and a WorkspaceManager over a fresh data
 * directory, for workspace tests. The data directory is searchable by others
 * (0711) like a real one, so the sandbox user can reach worktrees when tests
 * run as root.
 */

export const TOKEN = "ghs_testTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o711);
  return dir;
}

export interface WorkspaceFixture {
  server: GitServer;
  dataDir: string;
  manager: WorkspaceManager;
  url: string;
  owner: string;
  repo: string;
  request(taskId: string, extra?: Partial<Parameters<WorkspaceManager["prepare"]>[0]>): Parameters<WorkspaceManager["prepare"]>[0];
  cleanup(): Promise<void>;
}

export const BASE_COMMITS: CommitSpec[] = [
  { files: { "README.md": "# Widget\n", "src/index.js": "export const answer = 42;\n", "src/util/math.js": "export const add = (a, b) => a + b;\n" }, message: "initial" },
  { files: { "docs/guide.md": "Read me.\n", "src/index.js": "export const answer = 41 + 1;\n" }, message: "second" },
];

export async function workspaceFixture(options: Partial<WorkspaceManagerOptions> = {}, commits: CommitSpec[] = BASE_COMMITS): Promise<WorkspaceFixture> {
  const server = await startGitServer({ tokens: [TOKEN] });
  const url = await server.createRepo("acme", "widget", commits);
  const dataDir = await tempDir("openjules-ws-");
  const manager = new WorkspaceManager({ dataDir, cacheMaxBytes: 1024 ** 3, repoMaxBytes: 1024 ** 3, ...options });
  return {
    server,
    dataDir,
    manager,
    url,
    owner: "acme",
    repo: "widget",
    request: (taskId, extra = {}) => ({ taskId, cloneUrl: url, owner: "acme", repo: "widget", baseBranch: "main", token: async () => TOKEN, ...extra }),
    async cleanup() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every regular file under `dir` whose bytes contain `needle` (paths relative to dir). */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true }).catch(() => [])) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && (await readFile(full)).includes(needle)) hits.push(full.slice(dir.length + 1));
    }
  };
  await walk(dir);
  return hits;
}

export const pathExists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
