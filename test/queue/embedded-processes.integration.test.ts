/**
 * The JobQueue contract's cases with worker processes and long leases on the
 * embedded SQLite queue, in the integration project.
 */
import { queueProcessContract } from "./contract.ts";
import { embeddedQueueBackend } from "./embedded-backend.ts";

queueProcessContract("embedded SQLite", embeddedQueueBackend);
