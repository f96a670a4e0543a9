/**
 * Child process for the cross-process approval race (sqlite-database.test.ts):
 * opens the store at argv[2], says "ready", waits for "go" on stdin, then tries
 * to approve task argv[3] with plan hash argv[4] as actor argv[5] and prints
 * "won" or "lost".
 */
import { once } from "node:events";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-task-store.ts";

const [path, taskId, planHash, actor] = process.argv.slice(2);
if (!path || !taskId || !planHash || !actor) throw new Error("usage: approve-race-child.ts <db> <taskId> <planHash> <actor>");
const store = openSqliteStore(path);
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");
process.stdin.pause();
const result = await store.transition(taskId, {
  from: "awaiting_approval", to: "approved", actor, reason: "/approve", planHash, patch: { approvedBy: actor, approvedPlanHash: planHash },
});
process.stdout.write(result ? "won\n" : "lost\n");
await store.close();
