/**
 * Child process for cross-process approval races: opens the store at argv[2]
 * (a PostgreSQL URL, or the path of a SQLite file), says "ready", waits for
 * "go" on stdin, then tries to approve task argv[3] with plan hash argv[4] as
 * actor argv[5] and prints "won" or "lost".
 */
import { once } from "node:events";
import { tmpdir } from "node:os";
import { openStore } from "../../src/store/open.ts";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-task-store.ts";

const [where, taskId, planHash, actor] = process.argv.slice(2);
if (!where || !taskId || !planHash || !actor) throw new Error("usage: approve-race-child.ts <database url or sqlite file> <taskId> <planHash> <actor>");
const store = /^postgres(ql)?:\/\//.test(where) ? await openStore({ dataDir: tmpdir(), databaseUrl: where }) : openSqliteStore(where);
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");
process.stdin.pause();
const result = await store.transition(taskId, {
  from: "awaiting_approval",
  to: "approved",
  actor,
  reason: "/approve",
  planHash,
  patch: { approvedBy: actor, approvedPlanHash: planHash },
});
process.stdout.write(result ? "won\n" : "lost\n");
await store.close();
