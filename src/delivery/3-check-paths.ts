import { code, commandWord } from "../render/escape.ts";
import { deniedBy } from "../security/paths.ts";
import { scanForSecrets } from "../security/secret-scan.ts";
import type { ChangedFile } from "../workspace/manager.ts";
import type { Blocked } from "./port.ts";

/**
 * 3. Denied paths: every path the branch changes against the base (added,
 * modified or deleted; a rename counts as both of its sides) is matched
 * against `deny_paths` (default: the CI definitions in default-deny-paths.ts). Any match blocks the
 * delivery and names the paths and the rule each matched. Pure.
 */

const MAX_NAMED = 10;

/** A path as shown in a message: never echoes a file name that itself looks like a secret. */
export function shownPath(path: string, secrets: readonly string[]): string {
  return scanForSecrets(path, secrets).length > 0 ? "(a file whose name looks like a secret)" : code(path, 200);
}

export function checkPaths(files: readonly ChangedFile[], denyPaths: readonly string[], context: { secrets: readonly string[]; command: string }): Blocked | null {
  const hits = files.flatMap((file) => {
    const rule = deniedBy(file.path, denyPaths);
    return rule === null ? [] : [`${shownPath(file.path, context.secrets)} (matches ${code(rule, 200)})`];
  });
  if (hits.length === 0) return null;
  const named = hits.slice(0, MAX_NAMED).join(", ");
  const more = hits.length > MAX_NAMED ? ` and ${hits.length - MAX_NAMED} more` : "";
  return {
    kind: "blocked",
    reason: `Nothing was pushed: the change touches ${hits.length === 1 ? "a path" : "paths"} that \`deny_paths\` protects: ${named}${more}.`,
    hint:
      `OpenJules may not change these paths (workflow files would also need a permission the app does not have). ` +
      `Ask again with \`/${commandWord(context.command)} <what to do>\` for a change that leaves them alone, or change \`deny_paths\` in \`.github/jules.yml\`.`,
  };
}
