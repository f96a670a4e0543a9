/**
 * Child process for the cross-process message test: opens the store at
 * argv[2] (a PostgreSQL URL or a SQLite file), says "ready", waits for "go",
 * then takes the messages of task argv[3] in argv[4] rounds and prints the
 * ids it got as one JSON line.
 */
import { once } from "node:events";
import { tmpdir } from "node:os";
import { openStore } from "../../src/store/open.ts";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-task-store.ts";

const [where, taskId, rounds] = process.argv.slice(2);
if (!where || !taskId) throw new Error("usage: take-messages-child.ts <database url or sqlite file> <taskId> <rounds>");
const store = /^postgres(ql)?:\/\//.test(where) ? await openStore({ dataDir: tmpdir(), databaseUrl: where }) : openSqliteStore(where);
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");
process.stdin.pause();
const got: number[] = [];
for (let i = 0; i < Number(rounds ?? 5); i++) got.push(...(await store.takeMessages(taskId)).map((m) => m.id));
process.stdout.write(`${JSON.stringify(got)}\n`);
await store.close();
