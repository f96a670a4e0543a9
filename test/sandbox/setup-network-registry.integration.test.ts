import assert from "node:assert/strict";
import { lookup } from "node:dns/promises";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { nonPublicRule } from "../../src/sandbox/egress/address-policy.ts";
import { createSandboxRunner } from "../../src/sandbox/runner.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

/**
 * INTEGRATION (real network): setup in the sandbox reaches the npm registry
 * through the egress proxy. The host's own view of the registry is checked
 * first and decides what is asserted; the case is printed in the test's
 * diagnostics, and no case is skipped:
 * - reachable, public addresses: a GET through the proxy answers 200 with the package;
 * - reachable, but the name resolves to a non-public address (a lab or
 *   intercepting network): the proxy refuses it naming the rule, and with the
 *   registry in JULES_SETUP_ALLOW_HOSTS it answers 200;
 * - not reachable from the host: setup through the proxy gets no package either.
 */

const REGISTRY = "registry.npmjs.org";
const URL_ = `https://${REGISTRY}/uuid`;
const curl = `curl -sS --max-time 30 -o /workspace/body.json -w 'status=%{http_code} connect=%{http_connect}' ${URL_}; cat /workspace/body.json 2>/dev/null | head -c 200`;

type HostView = { reachable: false; error: string } | { reachable: true; addresses: string[]; nonPublic: string | null };

async function hostView(): Promise<HostView> {
  try {
    const addresses = (await lookup(REGISTRY, { all: true })).map((a) => a.address);
    const response = await fetch(URL_, { signal: AbortSignal.timeout(15_000) });
    if (response.status !== 200) return { reachable: false, error: `HTTP ${response.status}` };
    const nonPublic = addresses.map(nonPublicRule).find(Boolean) ?? null;
    return { reachable: true, addresses, nonPublic };
  } catch (error) {
    return { reachable: false, error: (error as Error).message };
  }
}

describe("integration: setup reaches the npm registry through the egress proxy (real network)", () => {
  let base: string;
  let ws: string;
  beforeAll(async () => {
    base = await tempDir("openjules-registry-");
    ws = join(base, "task");
    await mkdir(ws);
    await writeFile(join(ws, ".git"), "gitdir: /nowhere\n");
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  const setup = (allowHosts: string[]) =>
    createSandboxRunner({ mode: "bubblewrap", setupNetwork: { mode: "public", allowHosts } }).run(curl, { cwd: ws, timeoutMs: 90_000, network: true });

  it("GET https://registry.npmjs.org/uuid from setup, asserting what this host's own view allows", async ({ annotate }) => {
    const view = await hostView();
    if (!view.reachable) {
      await annotate(`CASE unreachable: ${REGISTRY} does not answer from this host (${view.error}); asserting setup gets no package either`);
      const result = await setup([]);
      assert.doesNotMatch(result.output, /status=200/, result.output);
      return;
    }
    if (view.nonPublic === null) {
      await annotate(`CASE public: ${REGISTRY} is ${view.addresses.join(", ")} and answers from this host; asserting it answers through the proxy`);
      const result = await setup([]);
      assert.match(result.output, /status=200 connect=200/, `${result.output}\n${result.network}`);
      assert.match(result.output, /"name": ?"uuid"/);
      return;
    }
    await annotate(`CASE non-public: ${REGISTRY} resolves to ${view.addresses.join(", ")} here (${view.nonPublic}); asserting the proxy refuses it, and answers once allowlisted`);
    const refused = await setup([]);
    assert.match(refused.output, /connect=403/, refused.output);
    assert.match(refused.network ?? "", new RegExp(`refused: ${REGISTRY}:443: ${REGISTRY} resolves to .*, which is `));
    const allowed = await setup([REGISTRY]);
    assert.match(allowed.output, /status=200 connect=200/, `${allowed.output}\n${allowed.network}`);
    assert.match(allowed.output, /"name": ?"uuid"/);
  });
});
