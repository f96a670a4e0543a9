import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import { nonPublicRule, onNetwork } from "./address-policy.ts";
import { EGRESS_LOOKUPS_AT_ONCE, limitConcurrency } from "./lookup-limit.ts";
import { isAllowed, normalizeHost, PUBLIC_PORTS, type AllowEntry } from "../../security/egress-allowlist.ts";

/**
 * Whether setup's egress proxy may open host:port, and to which addresses.
 * The proxy resolves the name itself and checks EVERY address; one
 * non-public address refuses the whole request (a name that mixes public and
 * private answers is treated as hostile). The addresses returned are the
 * checked ones, and the proxy connects to exactly those, so a second DNS
 * answer (rebinding) can never swap them. This host's own interface
 * addresses are refused even when public (services bound on 0.0.0.0), and so
 * is every address on one of its own networks (a LAN numbered from a public
 * or documentation range is still the operator's own network).
 * Public hosts are open on ports 80 and 443 only (the registries' ports; no
 * SMTP, databases or the host's other services); the operator's allowlist
 * opens other hosts and ports.
 */

export type Decision = { ok: true; addresses: string[] } | { ok: false; status: 403 | 502; reason: string };

export type Lookup = (host: string) => Promise<string[]>;

/** getaddrinfo through the process-wide lookup limit (lookup-limit.ts). */
export const systemLookup: Lookup = limitConcurrency(async (host: string) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address), EGRESS_LOOKUPS_AT_ONCE);

/** One of this host's networks: an interface's address with its prefix length, e.g. 192.0.2.2/24. */
export interface HostNetwork {
  cidr: string;
  name: string;
}

export function hostNetworks(): HostNetwork[] {
  return Object.entries(networkInterfaces()).flatMap(([name, list]) => (list ?? []).filter((a) => a.cidr).map((a) => ({ cidr: a.cidr as string, name })));
}

function localRule(address: string, networks: readonly HostNetwork[]): string | null {
  const bare = address.toLowerCase();
  if (networks.some((n) => n.cidr.split("/")[0]?.toLowerCase() === bare)) return "this host's own address";
  for (const n of networks) {
    const on = onNetwork(address, n.cidr);
    if (on) return `on this host's own network ${on} (${n.name})`;
  }
  return null;
}

export async function decide(
  rawHost: string,
  port: number,
  allow: readonly AllowEntry[],
  lookup: Lookup = systemLookup,
  networks: readonly HostNetwork[] = hostNetworks(),
): Promise<Decision> {
  const host = normalizeHost(rawHost);
  const allowed = isAllowed(allow, host, port);
  let addresses: string[];
  try {
    addresses = await lookup(host);
  } catch (error) {
    return { ok: false, status: 502, reason: `cannot resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  if (addresses.length === 0) return { ok: false, status: 502, reason: `${host} has no address` };
  if (allowed) return { ok: true, addresses };
  for (const address of addresses) {
    const rule = nonPublicRule(address) ?? localRule(address, networks);
    if (rule) return { ok: false, status: 403, reason: `${isIP(host) ? host : `${host} resolves to ${address}, which`} is ${rule}` };
  }
  if (!PUBLIC_PORTS.includes(port)) {
    return { ok: false, status: 403, reason: `port ${port} is closed: public hosts are reachable on ports ${PUBLIC_PORTS.join(" and ")} only` };
  }
  return { ok: true, addresses };
}
