import { join } from "node:path";
import type { ChangeRecord } from "../../agent/port.ts";
import { environmentKey, hashManifests } from "./key.ts";
import { createdBySetup, scanCheckout, type Checkout } from "./scan.ts";
import { SnapshotStore, type SnapshotMeta } from "./store.ts";

/**
 * Environment snapshots: after a successful setup, what it installed (the
 * task's HOME and the dependency folders it created, ecosystems.ts) is kept
 * under the key of its inputs (key.ts); the next task with the same key
 * starts from a copy of it. When setup made nothing but dependencies and
 * HOME content, setup is skipped (the key is exact: same repository,
 * manifests and lockfiles, setup command, `env:`, network and toolchain);
 * when it also made something else (a build output, a copied config file,
 * which may depend on sources outside the key), the copy only warms setup,
 * which runs again. The test phase calls `open` on the pristine checkout
 * before setup and `save` after a successful one (a failed setup never makes
 * a snapshot). Restoring goes through the change record as setup's own work,
 * so none of it is ever committed. Off with JULES_ENV_SNAPSHOT_MB=0 and in
 * unsafe mode.
 */

export interface SetupInput {
  setup: string;
  env: Readonly<Record<string, string>>;
  network: boolean;
  /** What the toolchain step installs into HOME for this setup (e.g. `{ node: "22.11.0" }`); part of the key. */
  toolchain?: Readonly<Record<string, string>>;
}

export interface EnvironmentSession {
  /** Set when a snapshot was restored: the line for the status, and whether setup can be skipped. */
  readonly reused: { skipSetup: boolean; line: string } | null;
  /** After a successful setup: keeps what it made, unless a snapshot was restored. Never throws. */
  save(): Promise<void>;
}

/** One task's view: its repository, HOME and change record. */
export interface EnvironmentReuse {
  /** Call on the pristine checkout, before setup or anything else writes to the working copy or HOME. Never throws. */
  open(workdir: string, input: SetupInput, signal?: AbortSignal): Promise<EnvironmentSession>;
}

export interface SnapshotTask {
  cloneUrl: string;
  owner: string;
  repo: string;
  home: string;
  changes?: ChangeRecord | undefined;
}

const SANDBOX_HOST_ID = 65534;

const NONE: EnvironmentSession = { reused: null, save: async () => undefined };

function repositoryId(task: SnapshotTask): string {
  let host = "";
  try {
    host = new URL(task.cloneUrl).host;
  } catch {
    host = task.cloneUrl;
  }
  return `${host}/${task.owner}/${task.repo}`.toLowerCase();
}

const listed = (paths: readonly string[]) =>
  `${paths
    .slice(0, 3)
    .map((p) => `\`${p}\``)
    .join(", ")}${paths.length > 3 ? ` and ${paths.length - 3} more` : ""}`;

/** Pure: the status line of a reuse. */
export function reusedLine(setup: string, meta: Pick<SnapshotMeta, "other">): string {
  return meta.other.length === 0
    ? `environment reused: setup \`${setup}\` skipped (what it installed for the same manifests, lockfiles and setup command was kept from an earlier task)`
    : `environment reused (dependencies and caches of an earlier setup); setup \`${setup}\` runs again, as it also made ${listed(meta.other)}`;
}

export class EnvironmentSnapshots {
  readonly store: SnapshotStore;
  readonly #warn: (message: string) => void;

  /** `sandboxOwner`: who owns ready copies; default, when the app runs as root, the runner's default sandbox user (65534, detect.ts). */
  constructor(options: { dataDir: string; maxBytes: number; onWarning?: (message: string) => void; sandboxOwner?: { uid: number; gid: number } | null }) {
    this.#warn = options.onWarning ?? (() => undefined);
    const owner = options.sandboxOwner !== undefined ? options.sandboxOwner : process.getuid?.() === 0 ? { uid: SANDBOX_HOST_ID, gid: SANDBOX_HOST_ID } : null;
    this.store = new SnapshotStore(join(options.dataDir, "environments"), options.maxBytes, this.#warn, owner);
  }

  forTask(task: SnapshotTask): EnvironmentReuse {
    return { open: (workdir, input, signal) => this.#open(task, workdir, input, signal) };
  }

  async #open(task: SnapshotTask, workdir: string, input: SetupInput, signal?: AbortSignal): Promise<EnvironmentSession> {
    const repo = repositoryId(task);
    let checkout: Checkout;
    let key: string;
    try {
      checkout = await scanCheckout(workdir);
      const manifests = await hashManifests(workdir, checkout.manifests);
      key = environmentKey({ repo, setup: input.setup, env: input.env, network: input.network, manifests, toolchain: input.toolchain ?? {} });
    } catch (error) {
      this.#warn(`No environment snapshot for ${repo}: ${error instanceof Error ? error.message : String(error)}`);
      return NONE;
    }
    try {
      if (await this.store.find(key)) {
        const restore = () => this.store.restore(key, task.home, workdir, signal);
        const meta = task.changes ? (await task.changes.command("setup", false, restore)).result : await restore();
        if (meta) return { reused: { skipSetup: meta.other.length === 0, line: reusedLine(input.setup, meta) }, save: NONE.save };
      }
    } catch (error) {
      this.#warn(`Could not restore the environment snapshot of ${repo}; setup runs instead: ${error instanceof Error ? error.message : String(error)}`);
    }
    return {
      reused: null,
      save: async () => {
        try {
          const created = await createdBySetup(workdir, checkout.paths);
          await this.store.save(key, { home: task.home, workdir, ...created, repo, setup: input.setup }, signal);
        } catch (error) {
          this.#warn(`No environment snapshot was kept for ${repo}: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
    };
  }
}

/** The one place snapshots are built from settings: off when JULES_ENV_SNAPSHOT_MB is 0 (and in unsafe mode, see settings.ts). */
export function environmentSnapshots(
  settings: { dataDir: string; environmentSnapshots: { maxBytes: number } },
  onWarning?: (message: string) => void,
): EnvironmentSnapshots | undefined {
  const { maxBytes } = settings.environmentSnapshots;
  return maxBytes > 0 ? new EnvironmentSnapshots({ dataDir: settings.dataDir, maxBytes, ...(onWarning ? { onWarning } : {}) }) : undefined;
}
