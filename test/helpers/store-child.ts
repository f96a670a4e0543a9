/**
 * Child process for cross-process approval races on a shared database: opens
 * the store chosen by openStore() for DATABASE_URL argv[2] (PostgreSQL), says
 * "ready", waits for "go" on stdin, then tries to approve task argv[3] with
 * plan hash argv[4] as actor argv[5] and prints "won" or "lost".
 */
import { once } from "node:events";
import { tmpdir } from "node:os";
import { openStore } from "../../src/store/open.ts";

const [databaseUrl, taskId, planHash, actor] = process.argv.slice(2);
if (!databaseUrl || !taskId || !planHash || !actor) throw new Error("usage: store-child.ts <databaseUrl> <taskId> <planHash> <actor>");
const store = await openStore({ dataDir: tmpdir(), databaseUrl });
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");
process.stdin.pause();
const result = await store.transition(taskId, {
  from: "awaiting_approval", to: "approved", actor, reason: "/approve", planHash, patch: { approvedBy: actor, approvedPlanHash: planHash },
});
process.stdout.write(result ? "won\n" : "lost\n");
await store.close();
