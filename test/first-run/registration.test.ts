import { describe, expect, it } from "vitest";
import type { RegisteredApp } from "../../src/first-run/conversion.ts";
import { OneRegistration } from "../../src/first-run/registration.ts";

const APP: RegisteredApp = { id: 1, name: "OpenJules", slug: "openjules", htmlUrl: "https://github.com/apps/openjules", credentials: {} };

describe("one registration at a time", () => {
  it("is begun by one browser, claimed once by it with its state, and then registered", () => {
    let now = 0;
    const r = new OneRegistration(() => now);
    const state = r.begin("a")!;
    expect(state).toMatch(/^[\w-]{32}$/);
    expect(r.begin("b")).toBeNull();
    expect(r.claim("other", "a")).toBe("unknown");
    expect(r.claim(state, "b")).toBe("other-browser");
    expect(r.claim(state, null)).toBe("other-browser");
    expect(r.claim(state, "a")).toBe("claimed");
    expect(r.claim(state, "a")).toBe("converting");
    expect(r.begin("a")).toBeNull();
    now += 1000;
    r.settle(APP);
    expect(r.registered).toEqual({ browser: "a", app: APP });
    expect(r.claim(state, "a")).toBe("unknown");
    expect(r.begin("a")).toBeNull();
  });

  it("lets the same browser start over, another one after 15 minutes, and anyone after a failed conversion", () => {
    let now = 0;
    const r = new OneRegistration(() => now);
    const first = r.begin("a")!;
    const second = r.begin("a")!;
    expect(second).not.toBe(first);
    expect(r.claim(first, "a")).toBe("unknown");
    now += 15 * 60_000 - 1;
    expect(r.begin("b")).toBeNull();
    now += 1;
    expect(r.claim(second, "a")).toBe("unknown");
    const third = r.begin("b")!;
    expect(r.claim(third, "b")).toBe("claimed");
    r.settle(null);
    expect(r.registered).toBeNull();
    expect(r.begin("c")).not.toBeNull();
  });
});
