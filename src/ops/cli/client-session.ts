/**
 * How a task command gets its client and ends: the remote client when a
 * server is named (`--server`, JULES_SERVER_URL, the config file), else the
 * local one the program opens; a refusal (the control plane's or the
 * server's problem detail), a settings error or a bad config file is
 * printed (as `{"error": ...}` with --json) and the exit code is 1; the
 * client is closed whatever happens.
 */
import { SettingsError } from "../../settings.ts";
import { ClientError, type TaskClient } from "./client.ts";
import type { ControlIo } from "./control-commands.ts";
import type { Screen } from "./monitor.ts";
import { remoteClient } from "./remote-client.ts";
import { remoteTarget } from "./remote-config.ts";
import { CliError } from "./task-commands.ts";

export interface SessionDeps {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  setCode(code: number): void;
  /** This machine's client (its backends and control plane). */
  local(): Promise<TaskClient>;
  screen?: Screen | null | undefined;
  signal?: AbortSignal | undefined;
  fetch?: typeof fetch | undefined;
}

export function clientSession(deps: SessionDeps): ControlIo {
  return {
    out: deps.out,
    err: deps.err,
    screen: deps.screen ?? null,
    ...(deps.signal && { signal: deps.signal }),
    remote: (server) => remoteTarget(deps.env, server) !== null,
    async withClient(server, json, fn) {
      let client: TaskClient | null = null;
      try {
        const target = remoteTarget(deps.env, server);
        const onReconnect = (attempt: number, why: string) => deps.err(`The event stream dropped (${why}); reconnecting (attempt ${attempt}).`);
        client = target ? remoteClient(target, { onReconnect }, deps.fetch) : await deps.local();
        deps.setCode((await fn(client)) ?? 0);
      } catch (error) {
        if (!(error instanceof ClientError || error instanceof CliError || error instanceof SettingsError)) throw error;
        deps.err(json ? JSON.stringify({ error: error.message, ...(error instanceof ClientError && error.problem) }) : error.message);
        deps.setCode(1);
      } finally {
        await client?.close();
      }
    },
  };
}
