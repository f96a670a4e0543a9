import type { ErrorCode, Result } from "./port.ts";

/** Building the control plane's answers: a value, or an error a person can act on. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(code: ErrorCode, title: string, detail: string): Result<T> => ({ ok: false, error: { code, title, detail } });

export const noSuchTask = <T = never>(id: string): Result<T> => fail("not_found", "Task not found", `There is no task ${id} that you can see; list the tasks you can see first.`);
