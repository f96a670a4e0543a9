/**
 * A real browser for the web app's tests: Debian's Chromium (apt-get install
 * chromium; CHROMIUM_PATH to use another) driven by playwright-core, headless,
 * without a sandbox (containers have no user namespaces for it) and without
 * the background traffic a test has no use for. `watch(page)` collects what
 * would show up in the developer console (console errors, uncaught
 * exceptions, CSP refusals are console errors too) for a test to assert on.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium, type ConsoleMessage, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
  });
}

export interface ConsoleProblem {
  text: string;
  /** The address the message is about (a failed request's), when the browser gives one. */
  url: string;
}

/** Console errors and uncaught exceptions of the page, as they happen. */
export function watch(page: Page): ConsoleProblem[] {
  const problems: ConsoleProblem[] = [];
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() === "error") problems.push({ text: message.text(), url: message.location().url });
  });
  page.on("pageerror", (error) => problems.push({ text: `uncaught: ${error.message}`, url: "" }));
  return problems;
}
