import { isIP } from "node:net";

/**
 * Which IP addresses setup's egress proxy may connect to: only globally
 * reachable unicast addresses (IANA's special-purpose registries, RFC 6890).
 * Everything else is refused and the refusal names the rule: loopback,
 * "this network" (0.0.0.0/8, ::), private (RFC 1918, ULA fc00::/7),
 * shared/CGNAT 100.64/10, link-local (169.254/16 with the cloud metadata
 * address, fe80::/10), multicast, benchmark and reserved ranges.
 * The documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
 * 2001:db8::/32, 3fff::/20) are let through on purpose: they are never routed
 * on the internet, so no operator's service is reachable there except on a
 * network that numbers itself from them, and decide.ts refuses every address
 * on one of this host's own networks whatever its range; meanwhile lab and
 * intercepting networks do answer registry names with them (on such a host
 * registry.npmjs.org resolves to 203.0.113.80, and refusing it would leave
 * setup unable to install anything by default).
 * IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:0:0/96,
 * IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by
 * the IPv4 address inside. Pure; the proxy calls it on every resolved address.
 */

type Bytes = number[];

function v4Bytes(text: string): Bytes | null {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.map(Number);
}

/** 16 bytes of an IPv6 address (with an optional dotted IPv4 tail), or null. */
function v6Bytes(text: string): Bytes | null {
  let s = text.toLowerCase().replace(/%.*$/, "");
  let tail: Bytes = [];
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    const v4 = v4Bytes(s.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const group = (h: string) => (h === "" ? [] : h.split(":"));
  const head = group(halves[0] ?? "");
  const rest = halves.length === 2 ? group(halves[1] ?? "") : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const bytes = groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

interface Rule {
  prefix: Bytes;
  bits: number;
  name: string;
}

const r = (cidr: string, name: string): Rule => {
  const [address, bits] = cidr.split("/") as [string, string];
  return { prefix: (address.includes(":") ? v6Bytes(address) : v4Bytes(address)) as Bytes, bits: Number(bits), name };
};

const V4_RULES: Rule[] = [
  r("0.0.0.0/8", "this-network (0.0.0.0/8)"),
  r("10.0.0.0/8", "private (10.0.0.0/8)"),
  r("100.64.0.0/10", "private: shared address space / CGNAT (100.64.0.0/10)"),
  r("127.0.0.0/8", "loopback (127.0.0.0/8)"),
  r("169.254.0.0/16", "link-local and cloud metadata (169.254.0.0/16)"),
  r("172.16.0.0/12", "private (172.16.0.0/12)"),
  r("192.0.0.0/24", "IETF protocol assignments (192.0.0.0/24)"),
  r("192.88.99.0/24", "6to4 relay anycast (192.88.99.0/24)"),
  r("192.168.0.0/16", "private (192.168.0.0/16)"),
  r("198.18.0.0/15", "benchmarking (198.18.0.0/15)"),
  r("224.0.0.0/4", "multicast (224.0.0.0/4)"),
  r("240.0.0.0/4", "reserved and broadcast (240.0.0.0/4)"),
];

const V6_RULES: Rule[] = [
  r("::1/128", "loopback (::1)"),
  r("::/128", "this-network / unspecified (::)"),
  r("100::/64", "discard-only (100::/64)"),
  r("64:ff9b:1::/48", "local-use NAT64 (64:ff9b:1::/48)"),
  r("2001::/32", "Teredo (2001::/32)"),
  r("2001:2::/48", "benchmarking (2001:2::/48)"),
  r("2001:10::/28", "ORCHID (2001:10::/28)"),
  r("2001:20::/28", "ORCHIDv2 (2001:20::/28)"),
  r("fc00::/7", "private: unique local (fc00::/7)"),
  r("fe80::/10", "link-local (fe80::/10)"),
  r("fec0::/10", "site-local (fec0::/10)"),
  r("ff00::/8", "multicast (ff00::/8)"),
];

function matches(bytes: Bytes, rule: Rule): boolean {
  for (let bit = 0; bit < rule.bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if (((bytes[bit >> 3] as number) & mask) !== ((rule.prefix[bit >> 3] as number) & mask)) return false;
  }
  return true;
}

const ruleOf = (bytes: Bytes, rules: Rule[]) => rules.find((rule) => matches(bytes, rule))?.name ?? null;

const NAT64 = r("64:ff9b::/96", "NAT64");

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedV4(bytes: Bytes): { form: string; v4: Bytes } | null {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return { form: "IPv4-mapped", v4: bytes.slice(12) };
  if (zero(0, 12)) return { form: "IPv4-compatible", v4: bytes.slice(12) };
  if (matches(bytes, NAT64)) return { form: "NAT64", v4: bytes.slice(12) };
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return { form: "6to4", v4: bytes.slice(2, 6) };
  return null;
}

/**
 * Null when `address` (an IP literal) is a public unicast address, else the
 * name of the rule that refuses it. Anything that is not an IP literal is refused.
 */
export function nonPublicRule(address: string): string | null {
  const family = isIP(address.replace(/%.*$/, ""));
  if (family === 4) return ruleOf(v4Bytes(address) as Bytes, V4_RULES);
  const bytes = family === 6 ? v6Bytes(address) : null;
  if (!bytes) return `not an IP address (${address})`;
  const fixed = ruleOf(bytes, V6_RULES.slice(0, 2));
  if (fixed) return fixed;
  const embedded = embeddedV4(bytes);
  if (embedded) {
    const inner = ruleOf(embedded.v4, V4_RULES);
    if (inner) return `${inner} inside an ${embedded.form} IPv6 address`;
    return embedded.form === "IPv4-compatible" ? "deprecated IPv4-compatible IPv6 (::/96)" : null;
  }
  return ruleOf(bytes, V6_RULES) ?? (((bytes[0] as number) & 0xe0) === 0x20 ? null : "not global unicast IPv6 (outside 2000::/3)");
}

/** The network part of `cidr` (an interface's "address/bits") in canonical text, or null when not parseable. */
function network(cidr: string): { bytes: Bytes; bits: number } | null {
  const [address = "", bitsText = ""] = cidr.split("/");
  const bytes = isIP(address) === 4 ? v4Bytes(address) : isIP(address) === 6 ? v6Bytes(address) : null;
  const bits = Number(bitsText);
  if (!bytes || !Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8) return null;
  return { bytes: bytes.map((b, i) => (i * 8 >= bits ? 0 : i * 8 + 8 <= bits ? b : b & (0xff << (8 - (bits - i * 8))) & 0xff)), bits };
}

const text = (bytes: Bytes) =>
  bytes.length === 4
    ? bytes.join(".")
    : Array.from({ length: 8 }, (_, i) => (((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number)).toString(16))
        .join(":")
        .replace(/(^|:)0(:0)+(:|$)/, "::");

/** "a.b.c.d/n" when `address` is inside the network `cidr` (same family), else null. */
export function onNetwork(address: string, cidr: string): string | null {
  const net = network(cidr);
  const family = isIP(address.replace(/%.*$/, ""));
  const bytes = family === 4 ? v4Bytes(address) : family === 6 ? v6Bytes(address) : null;
  if (!net || !bytes || bytes.length !== net.bytes.length || net.bits === 0) return null;
  return matches(bytes, { prefix: net.bytes, bits: net.bits, name: "" }) ? `${text(net.bytes)}/${net.bits}` : null;
}
