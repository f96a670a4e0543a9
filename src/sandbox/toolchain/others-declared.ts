import { compare } from "./semver.ts";
import { tomlTable } from "../detection/files.ts";

/**
 * What Python, Go and Rust projects declare about their toolchain, and
 * whether the version installed in the sandbox meets it. OpenJules installs
 * none of these (they come from the worker's system or
 * JULES_SANDBOX_READONLY_PATHS); it names a mismatch so that failing tests
 * are seen as the environment's problem. Pure.
 * - Python: `requires-python` in pyproject.toml's `[project]` (PEP 440
 *   specifiers: `>=3.10`, `~=3.11`, `==3.12.*`, `!=3.9.1`, joined by commas);
 * - Go: the `go` directive of go.mod (the minimum Go), against `go version`;
 * - Rust: `rust-toolchain.toml` or `rust-toolchain` (`channel`: `1.78`,
 *   `1.78.0`, `stable`, `beta`, `nightly[-date]`), against `rustc --version`.
 */

export type OtherLanguage = "python" | "go" | "rust";

export interface OtherRequirement {
  language: OtherLanguage;
  source: string;
  declared: string;
}

const nums = (text: string) => text.split(".").map(Number);

/** `requires-python` from pyproject.toml, or null. */
export function pythonRequirement(pyproject: string): OtherRequirement | null {
  const table = tomlTable(pyproject, "project");
  const m = table === null ? null : /^\s*requires-python\s*=\s*(["'])(.{1,200}?)\1/m.exec(table);
  return m ? { language: "python", source: "requires-python in pyproject.toml", declared: m[2]!.trim() } : null;
}

/** Whether a Python version (3.11.2) meets PEP 440 specifiers; null when one cannot be read. */
export function pythonSatisfies(version: string, specifiers: string): boolean | null {
  const v = nums(version);
  for (const clause of specifiers
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean)) {
    const m = /^(~=|===|==|!=|<=|>=|<|>)\s*v?(\d+(?:\.\d+)*)(\.\*)?$/.exec(clause);
    if (!m) return null;
    const [, op, text, star] = m;
    const want = nums(text!);
    const prefix = (a: number[]) => compare(a.slice(0, want.length), want) === 0;
    const d = compare(v, want);
    const ok =
      op === "~="
        ? want.length >= 2 && d >= 0 && compare(v.slice(0, want.length - 1), want.slice(0, -1)) === 0
        : op === "==" || op === "==="
          ? star
            ? prefix(v)
            : d === 0
          : op === "!="
            ? star
              ? !prefix(v)
              : d !== 0
            : op === ">="
              ? d >= 0
              : op === "<="
                ? d <= 0
                : op === ">"
                  ? d > 0
                  : d < 0;
    if (!ok) return false;
  }
  return true;
}

/** The `go` directive of go.mod (`go 1.21`, `go 1.22.1`), or null. */
export function goRequirement(gomod: string): OtherRequirement | null {
  const m = /^go\s+(\d+\.\d+(?:\.\d+)?)(?:rc\d+|beta\d+)?\s*(?:\/\/.*)?$/m.exec(gomod);
  return m ? { language: "go", source: "the go directive in go.mod", declared: m[1]! } : null;
}

/** The channel a rust-toolchain file pins (TOML `[toolchain] channel`, or the legacy one-line form), or null. */
export function rustRequirement(text: string, file: string): OtherRequirement | null {
  const table = tomlTable(text, "toolchain");
  const channel =
    table !== null ? /^\s*channel\s*=\s*(["'])([^"'\n]{1,100})\1/m.exec(table)?.[2] : /^\s*([A-Za-z0-9][\w.-]{0,99})\s*$/.exec(text.split("\n").find((l) => l.trim()) ?? "")?.[1];
  return channel ? { language: "rust", source: file, declared: channel.trim() } : null;
}

/** The version an installed tool reports (`Python 3.11.2`, `go version go1.19.8 linux/amd64`, `rustc 1.63.0 (…)`), or null. */
export function installedVersion(language: OtherLanguage, output: string): string | null {
  const pattern = language === "python" ? /Python (\d+\.\d+\.\d+)/ : language === "go" ? /go version go(\d+\.\d+(?:\.\d+)?)/ : /rustc (\d+\.\d+\.\d+(?:-(?:beta|nightly)[.\w]*)?)/;
  return pattern.exec(output)?.[1] ?? null;
}

/** Whether the installed version meets the requirement; null when the declaration cannot be judged. */
export function otherSatisfies(requirement: OtherRequirement, installed: string): boolean | null {
  if (requirement.language === "python") return pythonSatisfies(installed, requirement.declared);
  if (requirement.language === "go") return compare(nums(installed), nums(requirement.declared)) >= 0;
  const channel = requirement.declared.toLowerCase();
  const kind = /-nightly/.test(installed) ? "nightly" : /-beta/.test(installed) ? "beta" : "stable";
  if (/^(stable|beta|nightly)\b/.test(channel)) return channel.startsWith(kind);
  const pinned = /^(\d+\.\d+(?:\.\d+)?)/.exec(channel)?.[1];
  if (!pinned) return null;
  return kind === "stable" && compare(nums(installed.replace(/-.*/, "")).slice(0, nums(pinned).length), nums(pinned)) === 0;
}
