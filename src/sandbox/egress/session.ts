import { stat } from "node:fs/promises";
import { SandboxSetupError } from "../ownership.ts";
import { parseAllowEntry, type AllowEntry } from "../../security/egress-allowlist.ts";
import type { EgressMount } from "./forwarder.ts";
import { startEgressProxy } from "./proxy.ts";

/**
 * The network of one sandboxed command. A command asks for network (only the
 * setup command does, when jules.yml says `setup_network: public`); the
 * operator's JULES_SETUP_NETWORK decides whether it gets any. When it does,
 * an egress proxy is started for that command alone and closed after it; the
 * `note` says what the command had (and what the proxy refused), for the
 * setup failure message.
 */

export interface SetupNetworkOptions {
  /** JULES_SETUP_NETWORK: `off` refuses network to every setup whatever jules.yml says. */
  mode: "off" | "public";
  /** JULES_SETUP_ALLOW_HOSTS entries (host or host:port). */
  allowHosts: readonly string[];
}

export interface EgressSession {
  mount: EgressMount | null;
  /** What the command's network was, when it asked for one. */
  note(): string | undefined;
  close(): Promise<void>;
}

const NONE: EgressSession = { mount: null, note: () => undefined, close: async () => {} };
const SHOWN_REFUSALS = 5;

export function allowEntries(options: SetupNetworkOptions): AllowEntry[] {
  return options.allowHosts.map(parseAllowEntry);
}

/**
 * The Node binary the forwarder runs on: the app's own, which the sandbox user
 * must be allowed to execute. Where it lives does not matter (a checkout under
 * /root is staged like any other bind source, stage.ts); its mode does.
 */
async function forwarderNode(dropTo: { uid: number; gid: number } | null): Promise<string> {
  const node = process.execPath;
  if (dropTo && ((await stat(node)).mode & 0o001) === 0)
    throw new SandboxSetupError(`The sandbox user cannot execute ${node} (setup's network forwarder runs on it): chmod o+x ${node}.`);
  return node;
}

/**
 * The network of an external agent's command: only the hosts its definition
 * names (JULES_AGENTS `network`), through a proxy of its own that refuses
 * every other host. The operator named them, so, like JULES_SETUP_ALLOW_HOSTS,
 * they skip the address and port rules.
 */
export async function openHostsEgress(hosts: readonly string[], dropTo: { uid: number; gid: number } | null, logger?: { warn(message: string): void }): Promise<EgressSession> {
  const node = await forwarderNode(dropTo);
  const proxy = await startEgressProxy({ allow: hosts.map(parseAllowEntry), onlyAllowed: true, owner: dropTo, ...(logger ? { logger } : {}) });
  return {
    mount: { socket: proxy.socketPath, node },
    note() {
      const base = `network: only ${hosts.join(", ")}, through OpenJules's egress proxy (HTTP_PROXY/HTTPS_PROXY)`;
      return proxy.refused.length === 0 ? base : `${base}; refused: ${proxy.refused.slice(0, SHOWN_REFUSALS).join("; ")}`;
    },
    close: () => proxy.close(),
  };
}

export async function openEgress(
  requested: boolean,
  options: SetupNetworkOptions,
  allow: readonly AllowEntry[],
  dropTo: { uid: number; gid: number } | null,
  logger?: { warn(message: string): void },
): Promise<EgressSession> {
  if (!requested) return NONE;
  if (options.mode === "off") return { ...NONE, note: () => "no network: the operator set JULES_SETUP_NETWORK=off, whatever .github/jules.yml asks" };
  const node = await forwarderNode(dropTo);
  const proxy = await startEgressProxy({ allow, owner: dropTo, ...(logger ? { logger } : {}) });
  return {
    mount: { socket: proxy.socketPath, node },
    note() {
      const base = "network: public hosts only, through OpenJules's egress proxy (HTTP_PROXY/HTTPS_PROXY)";
      if (proxy.refused.length === 0) return base;
      const more = proxy.refused.length > SHOWN_REFUSALS ? ` and ${proxy.refused.length - SHOWN_REFUSALS} more` : "";
      return `${base}; refused: ${proxy.refused.slice(0, SHOWN_REFUSALS).join("; ")}${more}`;
    },
    close: () => proxy.close(),
  };
}
