/**
 * Environment snapshots: what a successful setup installed, kept and reused
 * by the next task with the same inputs. See snapshots.ts (the per-task
 * port), key.ts, ecosystems.ts, scan.ts, store.ts and copy-tree.ts.
 */

export { environmentSnapshots, EnvironmentSnapshots } from "./snapshots.ts";
export type { EnvironmentReuse } from "./snapshots.ts";
