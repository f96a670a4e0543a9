import { readFileSync } from "node:fs";
import { globSync } from "node:fs";
import { defineConfig } from "vitest/config";

/**
 * Two projects. `unit`: pure code and in-process fakes, seconds in all
 * (`npm run test:unit`). `integration`: everything that touches the real
 * world: the bubblewrap sandbox, real git remotes, PostgreSQL, Redis, child
 * processes (`npm run test:integration`). A test file is integration when it
 * lives in one of INTEGRATION_DIRS or its source mentions one of
 * INTEGRATION_MARKERS (the helpers and APIs that reach those), so a new test
 * lands in the right project without a list to keep up to date.
 */
const INTEGRATION_DIRS = ["test/e2e/", "test/sandbox/", "test/workspace/", "test/delivery/"];
const INTEGRATION_MARKERS =
  /helpers\/git|helpers\/sandbox|createSandboxRunner|bubblewrap|openPostgres|Postgres|BullMQ|ioredis|REDIS_URL|DATABASE_URL|\bspawn\(|\.integration\.test\.ts$/;

const all = globSync("test/**/*.test.ts")
  .map((f) => f.replaceAll("\\", "/"))
  .sort();
const integration = all.filter((f) => INTEGRATION_DIRS.some((d) => f.startsWith(d)) || INTEGRATION_MARKERS.test(f) || INTEGRATION_MARKERS.test(readFileSync(f, "utf8")));
const unit = all.filter((f) => !integration.includes(f));

const shared = { testTimeout: 120_000, hookTimeout: 120_000, pool: "forks" as const };

export default defineConfig({
  test: {
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "json-summary"],
      reportsDirectory: "coverage",
    },
    projects: [{ test: { ...shared, name: "unit", include: unit } }, { test: { ...shared, name: "integration", include: integration } }],
  },
});
