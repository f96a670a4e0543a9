import { describe, expect, it } from "vitest";
import { firstRunChoice, FirstRunRefused } from "../../src/first-run/decide.ts";
import { SettingsError } from "../../src/settings.ts";

/** The choice between the first-run page and today's refusal, for a process whose settings did not load. */
const at = (env: Record<string, string | undefined>, more: Partial<{ mode: string; stdinIsTTY: boolean; stdoutIsTTY: boolean }> = {}) =>
  firstRunChoice({ env, mode: "all", stdinIsTTY: true, stdoutIsTTY: true, ...more });

describe("firstRunChoice", () => {
  it("serves the first-run page when the App has no credentials at all, at a terminal, with the settings it needs", () => {
    const choice = at({ PORT: "4567", HOST: "127.0.0.1", JULES_PUBLIC_URL: "https://jules.example.com/", GHE_HOST: "ghe.example.com", WEBHOOK_PATH: "/hooks" });
    expect(choice).toEqual({
      serve: true,
      settings: {
        server: { port: 4567, host: "127.0.0.1", bodyTimeoutMs: 10_000 },
        log: { level: "info", format: "json" },
        publicUrl: "https://jules.example.com",
        webHost: "https://ghe.example.com",
        apiBaseUrl: "https://ghe.example.com/api/v3",
        webhookPath: "/hooks",
        webhookProxyUrl: undefined,
      },
    });
  });

  it("counts empty lines copied from .env.example as missing, and `npm run web` as a web server", () => {
    const env = { APP_ID: "", PRIVATE_KEY: "  ", PRIVATE_KEY_PATH: "", WEBHOOK_SECRET: "" };
    expect(at(env).serve).toBe(true);
    expect(at(env, { mode: "web" }).serve).toBe(true);
  });

  it("refuses as today when some credentials are there (a mistake to fix, not a first run)", () => {
    for (const env of [{ APP_ID: "12" }, { PRIVATE_KEY_PATH: "/nowhere.pem" }, { WEBHOOK_SECRET: "s" }, { PRIVATE_KEY: "pem" }]) {
      expect(at(env), JSON.stringify(env)).toEqual({ serve: false, reason: null });
    }
  });

  it("refuses on a headless server: CI set, no terminal on stdin or stdout, JULES_FIRST_RUN=off, a worker alone", () => {
    expect(at({ CI: "true" })).toEqual({ serve: false, reason: "CI is set" });
    expect(at({ CI: "1" })).toEqual({ serve: false, reason: "CI is set" });
    expect(at({}, { stdinIsTTY: false })).toEqual({ serve: false, reason: "this process has no terminal" });
    expect(at({}, { stdoutIsTTY: false })).toEqual({ serve: false, reason: "this process has no terminal" });
    expect(at({ JULES_FIRST_RUN: "off" })).toEqual({ serve: false, reason: "JULES_FIRST_RUN is off" });
    expect(at({}, { mode: "worker" })).toEqual({ serve: false, reason: "a worker alone serves no web page (run `npm start`)" });
    expect(at({ CI: "false" }).serve).toBe(true);
    expect(at({ CI: "" }).serve).toBe(true);
  });

  it("refuses when other settings are wrong as well, so that start-up's own message names them", () => {
    expect(at({ PORT: "many" })).toEqual({ serve: false, reason: "other settings are wrong too (fix those first)" });
    expect(at({ JULES_PROVIDER: "openai", JULES_MODEL: "gpt-4.1" })).toEqual({ serve: false, reason: "other settings are wrong too (fix those first)" });
    expect(at({ JULES_FIRST_RUN: "sometimes" }).serve).toBe(false);
  });

  it("the refusal keeps the settings' message and says why there is no page", () => {
    const cause = new SettingsError(["APP_ID must be the numeric App ID"]);
    const refused = new FirstRunRefused(cause, "CI is set");
    expect(refused).toBeInstanceOf(SettingsError);
    expect(refused.problems).toEqual(cause.problems);
    expect(refused.message.startsWith(cause.message)).toBe(true);
    expect(refused.message).toContain("No first-run page: CI is set.");
  });
});
