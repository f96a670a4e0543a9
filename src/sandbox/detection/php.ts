import { exists, read, type Candidate } from "./files.ts";

/**
 * composer.json: `composer install` (into vendor/, with network), then its
 * `test` script when it has one (`composer test`, as its README would say),
 * else PHPUnit (`vendor/bin/phpunit`) when phpunit.xml(.dist) or a
 * phpunit/phpunit requirement says the project uses it.
 */
export async function php(dir: string): Promise<Candidate | null> {
  const text = await read(dir, "composer.json");
  if (text === null) return null;
  let composer: { scripts?: Record<string, unknown>; require?: Record<string, unknown>; "require-dev"?: Record<string, unknown> };
  try {
    composer = JSON.parse(text) as typeof composer;
  } catch {
    return null;
  }
  const setup = "composer install --no-interaction --no-progress";
  if (composer.scripts && typeof composer.scripts === "object" && composer.scripts.test !== undefined) {
    return { family: "php", setup, test: "composer test", reason: "found a `test` script in composer.json" };
  }
  for (const name of ["phpunit.xml", "phpunit.xml.dist", "phpunit.dist.xml"]) {
    if (await exists(dir, name)) return { family: "php", setup, test: "vendor/bin/phpunit", reason: `found composer.json and ${name} (PHPUnit)` };
  }
  const requires = { ...composer.require, ...composer["require-dev"] };
  if ("phpunit/phpunit" in requires) return { family: "php", setup, test: "vendor/bin/phpunit", reason: "found phpunit/phpunit in composer.json" };
  return null;
}
