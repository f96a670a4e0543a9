import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { gateActor } from "../../src/github/gate.ts";
import type { Actor } from "../../src/github/events.ts";

const person = (login: string): Actor => ({ login, id: 1, type: "User", appSlug: null, appId: null });
const bot = (slug: string, appId: number): Actor => ({ login: `${slug}[bot]`, id: 2, type: "Bot", appSlug: slug, appId });

describe("who the app listens to", () => {
  const options = { appId: 1, appSlug: "openjules", allowedBots: ["renovate", "Dependabot[bot]"] };

  it("listens to people", () => {
    assert.deepEqual(gateActor(person("mona"), options), { pass: true });
  });

  it("ignores bots unless their app is allowlisted (by slug or login, any case)", () => {
    assert.equal(gateActor(bot("github-actions", 15368), options).pass, false);
    assert.equal(gateActor(bot("renovate", 2740), options).pass, true);
    assert.equal(gateActor(bot("dependabot", 29110), options).pass, true);
    assert.equal(gateActor({ ...person("sneaky[bot]") }, options).pass, false, "a [bot] login counts as a bot");
  });

  it("never listens to itself, even when allowlisted, by app id or by its bot login", () => {
    const self = { ...options, allowedBots: ["openjules"] };
    assert.equal(gateActor(bot("openjules", 1), self).pass, false);
    assert.equal(gateActor({ ...bot("openjules", 999), appId: null, appSlug: null }, self).pass, false);
    assert.equal(gateActor({ ...person("someone"), appId: 1 }, options).pass, false, "a comment made through our app is ours");
  });
});
