import { constants } from "node:fs";
import { access, realpath } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, delimiter, dirname, join } from "node:path";

/**
 * Where this machine's Go and Rust toolchains are, for the tests of those
 * repository shapes, and what the sandbox must be given to reach them (the
 * `extraReadOnly` an operator puts in JULES_SANDBOX_READONLY_PATHS). A tool
 * that is missing throws with the command that installs it: these tests never
 * skip. Go comes from Debian (`golang-go`, /usr/bin/go) or an official
 * tarball (/usr/local/go); cargo from Debian (`cargo`, /usr/bin/cargo) or
 * rustup (~/.cargo/bin, whose commands are rustup proxies reading the
 * toolchains in RUSTUP_HOME, ~/.rustup by default).
 */

export interface Toolchain {
  /** The command's host path. */
  bin: string;
  /** Host paths the sandbox needs read-only (none when the tool is under /usr and self-contained). */
  extraReadOnly: string[];
}

const executable = (path: string) =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

async function find(name: string, extra: string[]): Promise<string | null> {
  const onPath = (process.env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name));
  for (const candidate of [...onPath, ...extra]) if (await executable(candidate)) return candidate;
  return null;
}

const underUsr = (path: string) => path.startsWith("/usr/") && !path.startsWith("/usr/local/go/");

export async function goToolchain(): Promise<Toolchain> {
  const bin = await find("go", ["/usr/local/go/bin/go", "/usr/lib/go/bin/go"]);
  if (!bin) throw new Error("Go is not installed on this machine; these tests need it: `apt-get install -y golang-go` (Debian 12: Go 1.19)");
  const real = await realpath(bin);
  // A Debian go (/usr/lib/go-1.19) is inside /usr, which the sandbox always has; a tarball's GOROOT is bound with its bin/ on PATH.
  return { bin, extraReadOnly: underUsr(real) ? [] : [dirname(dirname(real))] };
}

export async function cargoToolchain(): Promise<Toolchain> {
  const cargoHome = process.env.CARGO_HOME ?? join(homedir(), ".cargo");
  const bin = await find("cargo", [join(cargoHome, "bin", "cargo"), "/usr/local/cargo/bin/cargo", "/root/.cargo/bin/cargo"]);
  if (!bin) {
    throw new Error(
      "cargo is not installed on this machine; these tests need cargo 1.68 or later (sparse registries): rustup's stable (`curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y`, into ~/.cargo/bin); Debian 12's `apt-get install -y cargo` is too old for the registry shape",
    );
  }
  const real = await realpath(bin);
  if (basename(real).startsWith("rustup")) {
    // A rustup proxy: its directory and the toolchains it reads (RUSTUP_HOME: ~/.rustup next to ~/.cargo, or /usr/local/rustup in Rust's images).
    const beside = join(dirname(dirname(dirname(bin))), ".rustup");
    const rustupHome = process.env.RUSTUP_HOME ?? ((await executable(beside)) ? beside : join(dirname(dirname(dirname(bin))), "rustup"));
    return { bin, extraReadOnly: [dirname(bin), rustupHome] };
  }
  return { bin, extraReadOnly: underUsr(real) ? [] : [dirname(dirname(real))] };
}
