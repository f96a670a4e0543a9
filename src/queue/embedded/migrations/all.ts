/**
 * The embedded queue's migrations, in the order they apply. They are recorded
 * under their own component ("jobs") in `schema_migrations`, so the queue can
 * share a database file with the task store. Append; never edit shipped ones.
 */
import type { Migration } from "../../../store/migrate.ts";
import { migration001Jobs } from "./001-jobs.ts";

export const JOBS_COMPONENT = "jobs";

export const jobMigrations: readonly Migration[] = [migration001Jobs];
