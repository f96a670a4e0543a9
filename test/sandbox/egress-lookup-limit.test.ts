import { describe, expect, it } from "vitest";
import { limitConcurrency } from "../../src/sandbox/egress/lookup-limit.ts";

describe("egress name lookups are limited process-wide", () => {
  it("never runs more than `max` lookups at once, and every caller gets its own answer in order", async () => {
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    const slow = async (host: string) => {
      started.push(host);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return [`answer for ${host}`];
    };
    const limited = limitConcurrency(slow, 2);
    const hosts = Array.from({ length: 12 }, (_, i) => `h${i}.example`);
    const answers = await Promise.all(hosts.map((h) => limited(h)));
    expect(peak).toBe(2);
    expect(answers).toEqual(hosts.map((h) => [`answer for ${h}`]));
    expect(started).toEqual(hosts);
  });

  it("a failing lookup frees its slot", async () => {
    let calls = 0;
    const limited = limitConcurrency(async (fail: boolean) => {
      calls++;
      if (fail) throw new Error("ENOTFOUND");
      return "ok";
    }, 1);
    await expect(limited(true)).rejects.toThrow("ENOTFOUND");
    await expect(limited(true)).rejects.toThrow("ENOTFOUND");
    await expect(limited(false)).resolves.toBe("ok");
    expect(calls).toBe(3);
  });
});
