/**
 * Recognises the errors Probot's config loader (`@probot/octokit-plugin-config`)
 * throws for a `.github/jules.yml` that cannot be read as settings (YAML
 * syntax, a file that is not a mapping, a bad `_extends`) and turns them into
 * `ConfigProblem`s for the thread. Other errors (network, permissions) are not
 * the file's fault and yield null, so the caller treats them as failures.
 */
import { WHOLE_FILE, type ConfigProblem } from "./problems.ts";

const PREFIX = "[@probot/octokit-plugin-config]";

interface YamlErrorLike {
  message?: unknown;
  linePos?: { line: number; col: number }[];
}

export function problemsFromLoadError(error: unknown): ConfigProblem[] | null {
  if (!(error instanceof Error) || !error.message.startsWith(PREFIX)) return null;
  const text = error.message;
  if (text.includes("(invalid YAML)")) {
    const cause = (error as Error & { cause?: YamlErrorLike }).cause;
    const position = cause?.linePos?.[0];
    const detail = typeof cause?.message === "string" ? firstLine(cause.message).replace(/:$/, "") : "";
    const where = position && !detail.includes(" at line ") ? ` (line ${position.line}, column ${position.col})` : "";
    return [
      {
        key: WHOLE_FILE,
        message: `not valid YAML${detail ? `: ${detail}` : ""}${where}`,
        expected: "a YAML mapping of settings, e.g. `approval: required`",
      },
    ];
  }
  if (text.includes("(YAML is not an object)")) {
    return [{ key: WHOLE_FILE, message: "the file holds plain text, not settings", expected: "a YAML mapping of settings, e.g. `approval: required`" }];
  }
  if (text.includes("(invalid JSON)")) {
    return [{ key: WHOLE_FILE, message: "not valid JSON", expected: "a JSON object of settings" }];
  }
  if (text.includes("for _extends")) {
    return [{ key: "_extends", message: "cannot be resolved", expected: "a repository name such as `.github` or `my-org/settings:.github/jules.yml`" }];
  }
  if (text.includes("is either a directory or a submodule")) {
    return [{ key: WHOLE_FILE, message: "the path is a directory or a submodule, not a file", expected: "a file" }];
  }
  return null;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
