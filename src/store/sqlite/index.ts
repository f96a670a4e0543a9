/**
 * The embedded SQLite persistence, as the rest of the app imports it: the task
 * store, and the database/migration helpers the embedded queue shares.
 */
export { openSqliteStore, SqliteTaskStore } from "./sqlite-task-store.ts";
export { openDatabase } from "./database.ts";
export { migrate } from "./migrate.ts";
export { taskMigrations, TASKS_COMPONENT } from "./migrations/all.ts";
