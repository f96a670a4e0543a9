import { stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SandboxProbe } from "./detect.ts";
import { blockingParent } from "./ownership.ts";
import { unreachableFix } from "./stage.ts";

/**
 * Whether the sandbox user can reach what it must, said once at start-up and
 * in `openjules doctor` rather than per task: working copies and HOMEs under
 * JULES_DATA_DIR, the egress proxy's socket (under the temporary directory)
 * and the app's Node binary (setup's network forwarder). Only matters when
 * the app runs as root (the sandbox then runs as an unprivileged uid); an
 * unreachable path is fine when this host can stage it (stage.ts).
 */

export interface Reach {
  status: "ok" | "warn" | "fail";
  detail: string;
  fix?: string;
}

export async function sandboxReach(probe: SandboxProbe | null, dataDir: string): Promise<Reach> {
  if (!probe?.ok) return { status: "warn", detail: "not checked: the sandbox does not run here (see the sandbox check)" };
  const dropTo = probe.dropTo;
  if (!dropTo) return { status: "ok", detail: `the sandbox runs as this process's own uid ${process.getuid?.()}, which reaches ${dataDir}` };
  const node = process.execPath;
  const paths = [
    { what: "JULES_DATA_DIR", path: join(dataDir, "work") },
    { what: "the egress proxy's socket directory", path: join(tmpdir(), "openjules-egress") },
    { what: "the app's Node binary (setup's network forwarder)", path: node },
  ];
  const blocked: { what: string; dir: string }[] = [];
  for (const { what, path } of paths) {
    const dir = await blockingParent(path, dropTo.uid, dropTo.gid).catch(() => null);
    if (dir) blocked.push({ what, dir });
  }
  const names = blocked.map((b) => `${b.what} (${b.dir} is not searchable by uid ${dropTo.uid})`).join("; ");
  if (blocked.length > 0 && !probe.staging?.ok) {
    const why = probe.staging ? probe.staging.reason : "staging was not probed";
    return {
      status: "fail",
      detail: `the sandbox user (uid ${dropTo.uid}) cannot reach ${names}, and this host cannot stage them (${why}): every repository command would fail`,
      fix: unreachableFix(blocked[0]!.dir),
    };
  }
  const executable = ((await stat(node).catch(() => null))?.mode ?? 0) & 0o001;
  if (!executable) return { status: "warn", detail: `the sandbox user (uid ${dropTo.uid}) may not execute ${node}: setups with network would fail`, fix: `chmod o+x ${node}` };
  if (blocked.length > 0)
    return {
      status: "ok",
      detail: `uid ${dropTo.uid} cannot enter ${names}: bound into each sandbox from a private staging mount at ${probe.staging?.ok ? probe.staging.mountPoint : "?"}`,
    };
  return { status: "ok", detail: `uid ${dropTo.uid} reaches JULES_DATA_DIR, the egress socket directory and ${node}` };
}
