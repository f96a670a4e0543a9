import { isIP } from "node:net";

/**
 * The operator's allowlist for setup's egress proxy (JULES_SETUP_ALLOW_HOSTS,
 * never jules.yml): `host` or `host:port` entries (IPv6 literals in
 * brackets), for private registries and mirrors. An allowed entry skips the
 * address and port rules for that name. Names are matched as the client sent
 * them, case-insensitively and without a trailing dot. Pure.
 */

export interface AllowEntry {
  host: string;
  /** null: every port of the host. */
  port: number | null;
}

/** Ports a public host may be reached on without an allowlist entry: HTTP and HTTPS (registries, git over HTTPS). */
export const PUBLIC_PORTS: readonly number[] = [80, 443];

const NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/;

export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

export function parseAllowEntry(text: string): AllowEntry {
  const entry = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(entry);
  const [host, port] = bracketed ? [bracketed[1], bracketed[2]] : plain ? [plain[1], plain[2]] : isIP(entry) === 6 ? [entry, undefined] : [undefined, undefined];
  const name = normalizeHost(host ?? "");
  const number = port === undefined ? null : Number(port);
  if (!name || !(isIP(name) || NAME.test(name)) || (number !== null && (number < 1 || number > 65535))) {
    throw new Error(`${JSON.stringify(text)} is not a host or host:port (examples: registry.internal, registry.internal:4873, 10.0.0.5:8081, [fd00::5]:443)`);
  }
  return { host: name, port: number };
}

/** Parses a comma- or whitespace-separated list; throws naming the first bad entry. */
export function parseAllowList(text: string): AllowEntry[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(parseAllowEntry);
}

export function isAllowed(entries: readonly AllowEntry[], host: string, port: number): boolean {
  const name = normalizeHost(host);
  return entries.some((e) => e.host === name && (e.port === null || e.port === port));
}
