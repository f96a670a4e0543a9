import { resolve } from "node:path";
import { firstRunChoice, FirstRunRefused } from "../first-run/decide.ts";
import { startFirstRun } from "../first-run/server.ts";
import { createLogger } from "../log.ts";
import { loadSettings, SettingsError, type Settings } from "../settings.ts";

/**
 * The settings a process starts with: loaded from the environment; or, when
 * the GitHub App has no credentials yet and someone is at the terminal
 * (src/first-run/decide.ts), made by the first-run page, which writes them
 * into .env and hands them back once its server has closed, so that
 * OpenJules then starts in the same process without a restart. Anything
 * else throws the SettingsError src/main.ts prints before exiting 1.
 */
export async function settingsOrFirstRun(mode: string, io = processIo()): Promise<Settings> {
  try {
    return loadSettings(io.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    const choice = firstRunChoice({ env: io.env, mode, stdinIsTTY: io.stdinIsTTY, stdoutIsTTY: io.stdoutIsTTY });
    if (!choice.serve) throw choice.reason ? new FirstRunRefused(error, choice.reason) : error;
    const log = createLogger({ log: choice.settings.log, secrets: [] });
    const firstRun = await startFirstRun({ settings: choice.settings, env: io.env, envFile: io.envFile, log, announce: io.announce });
    return firstRun.done;
  }
}

function processIo() {
  return {
    env: process.env,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    envFile: resolve(".env"),
    announce: (text: string) => process.stdout.write(`${text}\n`),
  };
}
