/**
 * The one interface the task commands talk to, with two transports: local
 * (the ControlPlane of this machine's backends, as the operator through the
 * `cli` face) and remote (the HTTP API /api/v1 of a server, with a token:
 * remote-client.ts). Its shape is the ControlPlane port's without the
 * caller, which each transport supplies. `ClientError` carries a
 * UseCaseError (or a transport failure) to the program, which prints it and
 * exits 1.
 */
import type { Caller } from "../../domain/actor.ts";
import type { ControlPlane, UseCaseError } from "../../tasks/control/port.ts";

const METHODS = ["list", "get", "create", "approve", "revise", "message", "cancel", "pause", "resume", "retry", "diff", "events", "follow", "repositories"] as const;
type Method = (typeof METHODS)[number];
type WithoutCaller<F> = F extends (caller: Caller, ...args: infer A) => infer R ? (...args: A) => R : never;

export type TaskClient = { [K in Method]: WithoutCaller<ControlPlane[K]> } & {
  /** Where commands go, for messages ("the local sqlite store", "https://jules.example.com"). */
  where: string;
  close(): Promise<void>;
};

export const CLI_CALLER: Caller = { principal: { kind: "operator" }, face: "cli" };

/** The local transport: every call goes to `plane` as the operator through the cli face. */
export function localClient(plane: ControlPlane, where: string, close: () => Promise<void>): TaskClient {
  const bound = Object.fromEntries(METHODS.map((m) => [m, (...args: unknown[]) => (plane[m] as (...a: unknown[]) => unknown).call(plane, CLI_CALLER, ...args)]));
  return { ...(bound as { [K in Method]: WithoutCaller<ControlPlane[K]> }), where, close };
}

export class ClientError extends Error {
  readonly problem: UseCaseError;
  constructor(problem: UseCaseError) {
    super(`${problem.title}: ${problem.detail}`);
    this.name = "ClientError";
    this.problem = problem;
  }
}

/** The value of a Result, or a ClientError with its UseCaseError. */
export async function unwrap<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: UseCaseError }>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new ClientError(r.error);
  return r.value;
}
