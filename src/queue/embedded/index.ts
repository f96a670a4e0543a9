/**
 * The embedded job queue, as the rest of the app imports it.
 */
export { EmbeddedQueue, openEmbeddedQueue } from "./embedded-queue.ts";
export { jobMigrations, JOBS_COMPONENT } from "./migrations/all.ts";
export type { EmbeddedQueueOptions } from "./options.ts";
