/**
 * The BullMQ job queue on Redis, as the rest of the app imports it.
 */
export { BullmqQueue, openBullmqQueue } from "./bullmq-queue.ts";
export { describeRedisUrl, MAX_JOB_ATTEMPTS, type BullmqQueueOptions } from "./options.ts";
