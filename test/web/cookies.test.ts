import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { csrfFailure, readCookie, readState, safeNext, signState } from "../../src/web/cookies.ts";

const key = randomBytes(32);
const req = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;

describe("the web face's cookies and CSRF rule", () => {
  it("reads a cookie by name among others", () => {
    const r = req("GET", { cookie: "a=1; oj_session=abc; oj_session_x=no" });
    expect(readCookie(r, "oj_session")).toBe("abc");
    expect(readCookie(r, "missing")).toBeNull();
    expect(readCookie(req("GET", {}), "oj_session")).toBeNull();
  });

  it("reads back a signed state within ten minutes only, and nothing changed or signed with another key", () => {
    const now = Date.now();
    const value = signState({ state: "s1", next: "/app/tasks/t-1?x=1", issuedAt: now }, key);
    expect(readState(value, key, now + 1000)).toEqual({ state: "s1", next: "/app/tasks/t-1?x=1" });
    expect(readState(value, key, now + 10 * 60_000 + 1)).toBeNull();
    expect(readState(value, randomBytes(32), now)).toBeNull();
    const [state, next, issued, mac] = value.split(".") as [string, string, string, string];
    expect(readState([state, Buffer.from("/app/evil").toString("base64url"), issued, mac].join("."), key, now)).toBeNull();
    expect(readState([state, next, String(now + 5 * 60_000), mac].join("."), key, now)).toBeNull();
    expect(readState(`${value}.x`, key, now)).toBeNull();
    expect(readState(null, key, now)).toBeNull();
  });

  it("keeps next a path under /app, as a browser reads it", () => {
    expect(safeNext("/app/tasks/abc?x=1#h")).toBe("/app/tasks/abc?x=1#h");
    expect(safeNext("/app")).toBe("/app");
    for (const bad of [
      null,
      "",
      "app/",
      "/apps",
      "/api/v1",
      "//evil.example/app/",
      "/\\evil.example/app/",
      "https://evil.example/app/",
      "/app/../healthz",
      "/app/%2e%2e/x/../../y",
    ]) {
      expect(safeNext(bad), String(bad)).toBe("/app/");
    }
  });

  it("passes GET, and a write only with the token and, when sent, this server's Origin", () => {
    const web = { publicUrl: undefined };
    expect(csrfFailure(req("GET", {}), "t", web)).toBeNull();
    expect(csrfFailure(req("POST", {}), "t", web)).toMatch(/no X-CSRF-Token/);
    expect(csrfFailure(req("POST", { "x-csrf-token": "u" }), "t", web)).toMatch(/wrong/);
    expect(csrfFailure(req("POST", { "x-csrf-token": "t" }), "t", web)).toBeNull();
    expect(csrfFailure(req("POST", {}), "t", web, "t")).toBeNull();
    expect(csrfFailure(req("POST", { "x-csrf-token": "t", host: "a:3000", origin: "http://a:3000" }), "t", web)).toBeNull();
    expect(csrfFailure(req("POST", { "x-csrf-token": "t", host: "a:3000", origin: "https://a:3000" }), "t", web)).toBeNull();
    expect(csrfFailure(req("POST", { "x-csrf-token": "t", host: "a:3000", origin: "http://b:3000" }), "t", web)).toMatch(/not this server's/);
    expect(csrfFailure(req("POST", { "x-csrf-token": "t", host: "a:3000", origin: "null" }), "t", web)).toMatch(/malformed|not this server's/);
    const behind = { publicUrl: "https://jules.example.com" };
    expect(csrfFailure(req("POST", { "x-csrf-token": "t", host: "a:3000", origin: "https://jules.example.com" }), "t", behind)).toBeNull();
    expect(csrfFailure(req("POST", { "x-csrf-token": "t", host: "a:3000", origin: "http://a:3000" }), "t", behind)).toMatch(/not this server's/);
  });
});
