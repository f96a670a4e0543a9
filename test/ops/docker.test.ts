/**
 * There is no Docker engine on the development machines, so the Dockerfile,
 * compose.yaml and .dockerignore are checked statically here (parsed, not
 * built), and the image's HEALTHCHECK command is run for real against the
 * operator endpoints.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, it } from "vitest";
import { parse } from "yaml";
import { createOps } from "../../src/ops/create-ops.ts";
import { startOpsServer } from "../../src/ops/ops-server.ts";
import { opsFixture } from "../helpers/ops-fixtures.ts";
import { freePort } from "../helpers/web-server.ts";

const root = new URL("../../", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), "utf8");

/** Dockerfile instructions, with line continuations joined and comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [op = "", ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

describe("Dockerfile", () => {
  const steps = instructions(read("Dockerfile"));
  const all = (op: string) => steps.filter((s) => s.op === op).map((s) => s.args);
  const last = (op: string) => all(op).at(-1) ?? "";

  it("is multi-stage on Node 24 slim (Debian), production dependencies only", () => {
    const froms = all("FROM");
    assert.ok(froms.length >= 2, "multi-stage");
    for (const from of froms) assert.match(from, /^node:24(\.\d+)*-(bookworm|trixie)-slim AS \w+$/);
    assert.ok(all("RUN").some((r) => /npm ci --omit=dev/.test(r)));
    assert.ok(all("COPY").some((c) => /^--from=deps \/app\/node_modules/.test(c)));
  });

  it("builds the web app in a stage of its own and copies only web/dist; installs run no scripts (prepare is the web stage's build)", () => {
    const runs = all("RUN");
    assert.ok(
      runs.some((r) => /npm ci --omit=dev --ignore-scripts/.test(r)),
      "the production install runs no prepare (vite is a dev dependency)",
    );
    assert.ok(runs.some((r) => /npm run build:web/.test(r)));
    assert.ok(all("FROM").some((f) => / AS web$/.test(f)));
    assert.ok(all("COPY").some((c) => /^--from=web \/app\/web\/dist \.\/web\/dist$/.test(c)));
  });

  it("installs bubblewrap, git, ripgrep and CA certificates, and runs as a non-root user", () => {
    const install = all("RUN").find((r) => /apt-get install/.test(r)) ?? "";
    for (const pkg of ["bubblewrap", "git", "ripgrep", "ca-certificates", "util-linux"]) assert.match(install, new RegExp(`\\b${pkg}\\b`), pkg);
    assert.match(install, /--no-install-recommends/);
    assert.match(install, /rm -rf \/var\/lib\/apt\/lists/);
    const user = last("USER");
    assert.ok(user !== "" && !/^(root|0)(:|$)/.test(user), `USER ${user} must not be root`);
  });

  it("keeps data in the /data volume, checks /healthz, and starts node src/main.ts", () => {
    assert.ok(all("ENV").some((e) => /JULES_DATA_DIR=\/data/.test(e)));
    assert.match(last("VOLUME"), /"\/data"/);
    assert.match(last("HEALTHCHECK"), /CMD \["node", "-e", .*\/healthz/);
    assert.deepEqual(JSON.parse(last("CMD")), ["node", "src/main.ts"]);
  });

  it("copies only files that exist, and never secrets", () => {
    for (const copy of all("COPY").filter((c) => !c.startsWith("--from"))) {
      const sources = copy.split(/\s+/).slice(0, -1);
      for (const source of sources) assert.ok(existsSync(new URL(source, root)), `COPY source ${source} exists`);
      assert.doesNotMatch(copy, /\.env|\.pem/);
    }
    const ignored = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim());
    for (const entry of [".env", "*.pem", ".git", "node_modules", ".jules-data"]) assert.ok(ignored.includes(entry), `.dockerignore lists ${entry}`);
  });

  it("its HEALTHCHECK command succeeds against a live /healthz and fails when nothing answers", async () => {
    const script = JSON.parse(last("HEALTHCHECK").replace(/^.*CMD /, ""))[2] as string;
    const check = (port: number) =>
      promisify(execFile)(process.execPath, ["-e", script], { env: { PORT: String(port) }, timeout: 30_000 }).then(
        () => 0,
        (e: { code?: number }) => e.code ?? -1,
      );
    const fx = await opsFixture();
    const server = await startOpsServer(createOps({ store: fx.store, queue: fx.queue, dataDir: fx.dataDir, log: console }).handler, { host: "127.0.0.1", port: 0 });
    try {
      assert.equal(await check(server.port), 0);
    } finally {
      await server.close();
      await fx.close();
    }
    assert.equal(await check(await freePort()), 1);
  });
});

describe("compose.yaml", () => {
  const compose = parse(read("compose.yaml"), { merge: true }) as { services: Record<string, Record<string, any>> };
  const { services } = compose;

  it("has web, worker, PostgreSQL and Redis", () => {
    assert.deepEqual(Object.keys(services).sort(), ["postgres", "redis", "web", "worker"]);
  });

  it("runs web and worker from the image with DATABASE_URL and REDIS_URL pointing at the compose services", () => {
    for (const [name, mode] of [
      ["web", "web"],
      ["worker", "worker"],
    ] as const) {
      const s = services[name]!;
      assert.equal(s.build, ".");
      assert.deepEqual(s.command, ["node", "src/main.ts", mode]);
      assert.match(s.environment.DATABASE_URL, /^postgres:\/\/\w+:\w+@postgres:5432\/\w+$/);
      assert.equal(s.environment.REDIS_URL, "redis://redis:6379");
      assert.equal(s.environment.JULES_DATA_DIR, "/data");
      assert.ok(s.volumes.some((v: string) => v.endsWith(":/data")));
      for (const dep of ["postgres", "redis"]) assert.equal(s.depends_on[dep].condition, "service_healthy");
      for (const secret of ["PRIVATE_KEY", "WEBHOOK_SECRET", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "JULES_API_TOKEN"]) {
        assert.equal(s.environment[secret], undefined, `${secret} comes from .env, not compose.yaml`);
      }
    }
    assert.deepEqual(services.web!.ports, ["3000:3000"]);
    assert.equal(services.worker!.ports, undefined, "workers take no traffic");
  });

  it("lets the worker create bubblewrap's user namespaces without adding privileges", () => {
    const worker = services.worker!;
    assert.deepEqual(worker.security_opt, ["seccomp=unconfined", "apparmor=unconfined"]);
    assert.equal(worker.privileged, undefined);
    assert.equal(worker.cap_add, undefined);
  });

  it("pins PostgreSQL 16 and Redis 7 images, with health checks, persistence and noeviction for BullMQ", () => {
    assert.match(services.postgres!.image, /^postgres:16(\.\d+)*-bookworm$/);
    assert.match(services.redis!.image, /^redis:7(\.\d+)*-bookworm$/);
    for (const name of ["postgres", "redis"]) {
      assert.ok(services[name]!.healthcheck.test.length > 1, `${name} has a health check`);
      assert.ok(services[name]!.volumes.length > 0, `${name} keeps its data in a volume`);
    }
    assert.deepEqual(services.redis!.command.slice(-2), ["--maxmemory-policy", "noeviction"]);
    const url = new URL(services.web!.environment.DATABASE_URL);
    const pg = services.postgres!.environment;
    assert.deepEqual([url.username, url.password, url.pathname.slice(1)], [pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, pg.POSTGRES_DB]);
  });
});
