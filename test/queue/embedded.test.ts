/**
 * Runs the JobQueue contract on the embedded SQLite queue (embedded-backend.ts).
 * The cases with worker processes run in embedded-processes.integration.test.ts.
 */
import { queueContract } from "./contract.ts";
import { embeddedQueueBackend } from "./embedded-backend.ts";

queueContract("embedded SQLite", embeddedQueueBackend);
