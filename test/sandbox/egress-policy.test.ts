import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { nonPublicRule } from "../../src/sandbox/egress/address-policy.ts";
import { isAllowed, parseAllowEntry, parseAllowList } from "../../src/security/egress-allowlist.ts";
import { decide } from "../../src/sandbox/egress/decide.ts";

/** The pure rules of setup's egress proxy: which addresses are public, the allowlist, and a name that mixes answers. */
describe("egress policy: public addresses only", () => {
  it("refuses every special-purpose range, naming it, in IPv4 and IPv6", () => {
    const refused: [string, RegExp][] = [
      ["127.0.0.1", /^loopback/],
      ["127.255.0.9", /^loopback/],
      ["0.0.0.0", /this-network/],
      ["0.1.2.3", /this-network/],
      ["10.1.2.3", /^private \(10/],
      ["172.16.0.1", /^private \(172/],
      ["172.31.255.255", /^private/],
      ["192.168.1.1", /^private \(192/],
      ["100.64.0.1", /CGNAT/],
      ["100.100.100.200", /CGNAT/],
      ["169.254.169.254", /metadata/],
      ["169.254.0.1", /link-local/],
      ["192.0.0.8", /IETF/],
      ["198.18.0.1", /benchmarking/],
      ["224.0.0.1", /multicast/],
      ["239.255.255.250", /multicast/],
      ["240.0.0.1", /reserved/],
      ["255.255.255.255", /broadcast/],
      ["::1", /^loopback \(::1\)/],
      ["::", /unspecified/],
      ["fc00::1", /unique local/],
      ["fd00:ec2::254", /unique local/],
      ["fe80::1", /link-local/],
      ["fe80::1%eth0", /link-local/],
      ["ff02::1", /multicast/],
      ["fec0::1", /site-local/],
      ["100::1", /discard/],
      ["2001::1", /Teredo/],
      ["::ffff:127.0.0.1", /loopback .*IPv4-mapped/],
      ["::ffff:7f00:1", /loopback .*IPv4-mapped/],
      ["::ffff:169.254.169.254", /metadata .*IPv4-mapped/],
      ["::ffff:10.0.0.1", /private .*IPv4-mapped/],
      ["::127.0.0.1", /loopback .*IPv4-compatible/],
      ["::8.8.8.8", /deprecated IPv4-compatible/],
      ["64:ff9b::7f00:1", /loopback .*NAT64/],
      ["64:ff9b::a9fe:a9fe", /metadata .*NAT64/],
      ["2002:7f00:1::", /loopback .*6to4/],
      ["2002:c0a8:0101::1", /private .*6to4/],
      ["64:ff9b:1::1", /local-use NAT64/],
      ["localhost", /not an IP address/],
      ["", /not an IP address/],
    ];
    for (const [address, rule] of refused) assert.match(nonPublicRule(address) ?? "(public)", rule, address);
  });

  it("lets globally reachable unicast addresses through", () => {
    // The documentation ranges are never routed on the internet, so no operator's service is reachable there
    // unless the host's own network uses them, which decide() refuses on its own (on-link networks).
    for (const address of [
      "192.0.2.2",
      "198.51.100.1",
      "203.0.113.80",
      "2001:db8::1",
      "3fff::1",
      "8.8.8.8",
      "1.1.1.1",
      "104.16.0.35",
      "172.15.255.255",
      "172.32.0.1",
      "100.63.255.255",
      "100.128.0.1",
      "192.169.0.1",
      "2606:4700::6810:2223",
      "2a00:1450:4001:82b::200e",
      "::ffff:8.8.8.8",
      "64:ff9b::808:808",
      "2002:808:808::1",
    ]) {
      assert.equal(nonPublicRule(address), null, address);
    }
  });

  it("parses the operator's allowlist and matches host and port", () => {
    assert.deepEqual(parseAllowList(" Registry.Internal:4873, 10.0.0.5 [fd00::5]:443 fd00::6 npm.example.com. "), [
      { host: "registry.internal", port: 4873 },
      { host: "10.0.0.5", port: null },
      { host: "fd00::5", port: 443 },
      { host: "fd00::6", port: null },
      { host: "npm.example.com", port: null },
    ]);
    for (const bad of ["http://x", "host:0", "host:70000", "a b:1:2", "[::1", "-bad"]) assert.throws(() => parseAllowEntry(bad), /is not a host or host:port/, bad);
    const entries = parseAllowList("registry.internal:4873,10.0.0.5");
    assert.equal(isAllowed(entries, "REGISTRY.internal.", 4873), true);
    assert.equal(isAllowed(entries, "registry.internal", 4874), false);
    assert.equal(isAllowed(entries, "10.0.0.5", 22), true);
    assert.equal(isAllowed(entries, "evil.registry.internal", 4873), false);
  });

  it("refuses a name if any of its addresses is not public, and connects only to checked addresses", async () => {
    const dns = (answers: Record<string, string[]>) => async (host: string) => answers[host] ?? [];
    const lookup = dns({ "mixed.example": ["93.184.216.34", "127.0.0.1"], "good.example": ["93.184.216.34", "2606:2800:220:1::1"], "v6.example": ["::1"] });
    const mixed = await decide("mixed.example", 443, [], lookup);
    assert.deepEqual(mixed, { ok: false, status: 403, reason: "mixed.example resolves to 127.0.0.1, which is loopback (127.0.0.0/8)" });
    assert.deepEqual(await decide("good.example", 443, [], lookup), { ok: true, addresses: ["93.184.216.34", "2606:2800:220:1::1"] });
    assert.match(((await decide("v6.example", 80, [], lookup)) as { reason: string }).reason, /loopback \(::1\)/);
    // A public-looking address on one of this host's own networks (a LAN numbered from a documentation or public range) is refused.
    const lan = [
      { cidr: "192.0.2.2/24", name: "eth0" },
      { cidr: "2001:db8:5::2/64", name: "eth1" },
    ];
    const answers: Record<string, string[]> = { "gw.example": ["192.0.2.1"], "v6lan.example": ["2001:db8:5::9"], "registry.example": ["203.0.113.80"] };
    const lanLookup = async (host: string) => answers[host] ?? [];
    assert.deepEqual(await decide("gw.example", 443, [], lanLookup, lan), {
      ok: false,
      status: 403,
      reason: "gw.example resolves to 192.0.2.1, which is on this host's own network 192.0.2.0/24 (eth0)",
    });
    assert.match(((await decide("v6lan.example", 443, [], lanLookup, lan)) as { reason: string }).reason, /own network 2001:db8:5::\/64 \(eth1\)/);
    assert.deepEqual(await decide("registry.example", 443, [], lanLookup, lan), { ok: true, addresses: ["203.0.113.80"] });
    assert.deepEqual(await decide("192.0.2.2", 443, [], lanLookup, lan).then((d) => d.ok), false);
    assert.deepEqual(await decide("good.example", 5432, [], lookup), {
      ok: false,
      status: 403,
      reason: "port 5432 is closed: public hosts are reachable on ports 80 and 443 only",
    });
    assert.equal((await decide("nowhere.example", 443, [], lookup)).ok, false);
    // The operator's allowlist opens a private name and port.
    assert.deepEqual(await decide("mixed.example", 8443, parseAllowList("mixed.example:8443"), lookup), { ok: true, addresses: ["93.184.216.34", "127.0.0.1"] });
  });
});
