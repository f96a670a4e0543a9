/**
 * A real browser for the web app's tests: Debian's Chromium (apt-get install
 * chromium; CHROMIUM_PATH to use another) driven by playwright-core, headless,
 * without a sandbox (containers have no user namespaces for it) and without
 * the background traffic a test has no use for. `watch(page)` collects what
 * would show up in the developer console (console errors, uncaught
 * exceptions, CSP refusals are console errors too) for a test to assert on;
 * `seriousViolations(page)` is axe-core's verdict; `screenshot` keeps a
 * picture of a page as a test artifact.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, chromium, type ConsoleMessage, type Locator, type Page } from "playwright-core";

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

/** Serious and critical axe-core violations of the page as it is now (WCAG 2.1 A and AA, best practices), as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const ROOT = join(import.meta.dirname, "..", "..");
/** Where screenshots go (gitignored): test-artifacts/screenshots/<name>-desktop.png and -phone.png. */
export const SCREENSHOTS = join(ROOT, "test-artifacts", "screenshots");
export const PHONE = { width: 390, height: 844 };

/**
 * A screenshot of the page as a test artifact: the whole page at its desktop
 * size, or at a phone's width (`phone`; the viewport is put back after).
 * With SCREENSHOTS_FOR_DOCS=1 one marked `docs` is also kept for the README
 * as docs/screenshots/<name>.png: the viewport only (1280×800), small, at
 * the top of the page or scrolled to `at`.
 */
export async function screenshot(page: Page, name: string, options: { phone?: boolean; docs?: boolean; at?: Locator } = {}): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize();
  if (options.phone) await page.setViewportSize(PHONE);
  try {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${options.phone ? "phone" : "desktop"}.png`), fullPage: true, animations: "disabled" });
    if (options.docs && !options.phone && process.env.SCREENSHOTS_FOR_DOCS === "1") {
      await mkdir(join(ROOT, "docs", "screenshots"), { recursive: true });
      if (options.at) await options.at.scrollIntoViewIfNeeded();
      else await page.evaluate("window.scrollTo(0, 0)");
      await page.screenshot({ path: join(ROOT, "docs", "screenshots", `${name}.png`), animations: "disabled" });
    }
  } finally {
    if (options.phone && before) await page.setViewportSize(before);
  }
}
