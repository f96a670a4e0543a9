/** What the settings tests share: the least environment that loads, and the problems a bad one is refused with. */
import assert from "node:assert/strict";
import { loadSettings, SettingsError } from "../../src/settings.ts";
import { testPrivateKey } from "./keys.ts";

export const baseEnv = () => ({ APP_ID: "123", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "s3cret" });

/** The problems loadSettings names for `env` (fails the test when it loads). */
export function settingsProblems(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    assert.ok(error instanceof SettingsError);
    return error.problems;
  }
  assert.fail("expected a SettingsError");
}
