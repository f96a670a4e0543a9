/**
 * The PostgreSQL task store, as the rest of the app imports it.
 */
export { openPostgresStore, migratePostgres, PostgresTaskStore } from "./postgres-task-store.ts";
export { describeDatabaseUrl, type PostgresPoolOptions } from "./connection.ts";
export { migrate, schemaVersion } from "./migrate.ts";
export { taskMigrations, TASKS_COMPONENT } from "./migrations/all.ts";
