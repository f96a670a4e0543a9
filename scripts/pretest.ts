/**
 * `npm test`'s pretest: brings what the tests need on a fresh machine (Debian
 * 12, root, nothing installed but Node and npm). Missing OS programs are
 * installed with apt-get when this runs as root (scripts/pretest-plan.ts says
 * which and why), otherwise it stops with the exact command to run; then
 * PostgreSQL and Redis are made to answer on 127.0.0.1 (scripts/ensure-services.sh).
 * Silent when everything is in place. `--dry-run` prints what it would run.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { decide, missingPrerequisites, onPath } from "./pretest-plan.ts";

const dryRun = process.argv.includes("--dry-run");
const ensureServices = fileURLToPath(new URL("./ensure-services.sh", import.meta.url));

function run(command: string[]): void {
  if (dryRun) {
    console.log(`pretest: would run ${command.join(" ")}`);
    return;
  }
  const [file, ...args] = command as [string, ...string[]];
  const done = spawnSync(file, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (done.status !== 0) {
    console.error(`pretest: ${command.join(" ")} failed (${done.error?.message ?? `exit ${done.status ?? done.signal}`})`);
    process.exit(1);
  }
}

const host = { root: process.getuid?.() === 0, apt: onPath("apt-get", process.env.PATH ?? "") !== null };
const decision = decide(missingPrerequisites(process.env), host);
if (decision.kind === "stop") {
  console.error(`pretest: ${decision.message}`);
  process.exit(1);
}
if (decision.kind === "install") {
  console.log(`pretest: installing ${decision.packages.join(" ")} (the tests run them)`);
  for (const command of decision.commands) run(command);
  const still = dryRun ? [] : missingPrerequisites(process.env);
  if (still.length > 0) {
    console.error(`pretest: still missing after apt-get: ${still.map((p) => p.command).join(", ")}`);
    process.exit(1);
  }
}
run(["bash", ensureServices]);
