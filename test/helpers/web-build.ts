/**
 * The built web app (web/dist) for browser tests: built by `vite build` (as
 * npm run build:web does, NODE_ENV production: the test runner's own
 * NODE_ENV=test would bundle React's development build) when it is missing
 * or older than a source of the app, once per
 * checkout at a time (a lock directory under node_modules/.cache), into a
 * temporary folder there that then replaces web/dist, so a server reading
 * the old build never sees a half-written one.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const ROOT = join(import.meta.dirname, "..", "..");
const WEB = join(ROOT, "web");
const DIST = join(WEB, "dist");
const NODE = join(ROOT, "node_modules", ".bin", "node");
const VITE = join(ROOT, "node_modules", "vite", "bin", "vite.js");
const WORK = join(ROOT, "node_modules", ".cache", "openjules-web");
const LOCK = join(WORK, "build.lock");

/** The newest modification time among the files of web/ (outside dist). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  const index = join(DIST, "index.html");
  return existsSync(index) && statSync(index).mtimeMs >= newestSource(WEB);
}

async function lock(): Promise<() => Promise<void>> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await mkdir(WORK, { recursive: true });
      await mkdir(LOCK);
      return () => rm(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock left by a build that died long ago is taken over.
      if (Date.now() - statSync(LOCK).mtimeMs > 300_000) await rm(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Another build of the web app holds ${LOCK} for too long; remove it if no build runs.`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** web/dist, built first when missing or stale. */
export async function ensureWebBuild(): Promise<string> {
  if (fresh()) return DIST;
  const release = await lock();
  try {
    if (fresh()) return DIST;
    const out = join(WORK, `dist-${process.pid}`);
    await promisify(execFile)(NODE, [VITE, "build", "--config", join(WEB, "vite.config.ts"), "--outDir", out, "--emptyOutDir", "--logLevel", "warn"], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production" },
      maxBuffer: 16 * 1024 * 1024,
    });
    const old = join(WORK, `old-${process.pid}`);
    if (existsSync(DIST)) await rename(DIST, old);
    await rename(out, DIST);
    await rm(old, { recursive: true, force: true });
    return DIST;
  } finally {
    await release();
  }
}
