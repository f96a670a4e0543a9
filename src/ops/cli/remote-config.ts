/**
 * Where a remote command goes and with which token. The server is
 * `--server URL`, else JULES_SERVER_URL, else `server` in the config file;
 * the token is JULES_API_TOKEN, else `token` in the config file (never a
 * command-line flag: arguments are visible to every user of the machine in
 * `ps`). The config file is $XDG_CONFIG_HOME/openjules/config.json, by
 * default ~/.config/openjules/config.json, `{"server": "...", "token": "..."}`,
 * and must not be readable by others (chmod 600), as ssh requires of keys.
 * No server anywhere: the command runs against this machine's backends.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./task-commands.ts";

export interface RemoteTarget {
  /** The server's base URL, without a trailing slash. */
  server: string;
  token: string | null;
}

export function configPath(env: Record<string, string | undefined>): string | null {
  const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, ".config") : null);
  return base ? join(base, "openjules", "config.json") : null;
}

/** The remote target, or null for local mode. */
export function remoteTarget(env: Record<string, string | undefined>, flag: string | undefined): RemoteTarget | null {
  const file = readConfig(configPath(env));
  const raw = flag ?? (env.JULES_SERVER_URL || undefined) ?? file.server;
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`The server "${raw}" is not a URL; give it as --server https://jules.example.com (or JULES_SERVER_URL).`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError(`The server URL must start with https:// or http://, got "${raw}".`);
  return { server: url.href.replace(/\/+$/, ""), token: env.JULES_API_TOKEN || file.token || null };
}

function readConfig(path: string | null): { server?: string; token?: string } {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CliError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not JSON; write it as {"server": "https://jules.example.com", "token": "..."}.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new CliError(`${path} must hold a JSON object with "server" and "token".`);
  const { server, token } = parsed as Record<string, unknown>;
  if ((server !== undefined && typeof server !== "string") || (token !== undefined && typeof token !== "string"))
    throw new CliError(`${path}: "server" and "token" must be strings.`);
  if (token !== undefined && (statSync(path).mode & 0o077) !== 0) throw new CliError(`${path} holds a token and is readable by others; make it private with: chmod 600 ${path}`);
  return { ...(server !== undefined && { server }), ...(token !== undefined && { token }) };
}
