/**
 * Loose validation of a branch name given with `/jules --base <branch>`,
 * following `git check-ref-format --branch`: no spaces, control characters or
 * `~ ^ : ? * [ \`, no `..`, `//` or `@{`, no component starting with `.` or
 * ending with `.lock`, not starting with `-` or `/`, not ending with `/` or
 * `.`, and not `@` alone. Length is capped at 255 (GitHub's ref limit).
 */

const MAX_BRANCH_LENGTH = 255;
const FORBIDDEN = /[\u0000-\u0020\u007f~^:?*[\\]/;

export function isValidBranchName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_BRANCH_LENGTH) return false;
  if (FORBIDDEN.test(name)) return false;
  if (name === "@" || name.includes("..") || name.includes("//") || name.includes("@{")) return false;
  if (name.startsWith("-") || name.startsWith("/") || name.endsWith("/") || name.endsWith(".")) return false;
  return name.split("/").every((part) => !part.startsWith(".") && !part.endsWith(".lock"));
}
