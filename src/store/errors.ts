/**
 * Errors every TaskStore implementation throws, so callers (and the shared
 * contract tests) can tell "no such task" and "store already closed" apart from
 * database failures, whatever the backend.
 */

export class TaskNotFoundError extends Error {
  readonly taskId: string;
  constructor(taskId: string) {
    super(`No task with id "${taskId}" exists in the task store.`);
    this.name = "TaskNotFoundError";
    this.taskId = taskId;
  }
}

export class StoreClosedError extends Error {
  constructor(what = "The task store") {
    super(`${what} is closed; it cannot be used after close().`);
    this.name = "StoreClosedError";
  }
}
