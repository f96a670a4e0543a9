/**
 * How `approval` and `approvers` of .github/jules.yml combine. `approval:
 * auto` with `approvers: others` is a contradiction (the four-eyes rule needs
 * a second person; automatic approval has none): the four-eyes rule wins, a
 * plan waits for someone other than the person who asked, and the plan
 * comment says that `approval: auto` was ignored and why.
 */
import type { RepoConfig } from "./repo-config.ts";

export interface AutoApproval {
  /** Whether plans are approved as soon as they are posted. */
  applies: boolean;
  /** Set when `approval: auto` is in the file but does not apply: what to tell the people in the thread. */
  ignored: string | null;
}

export const AUTO_IGNORED_UNDER_FOUR_EYES =
  "`approval: auto` is ignored because `approvers: others` (the four-eyes rule) is also set: someone other than the person who asked must approve. Remove one of the two from `.github/jules.yml`.";

export function autoApproval(config: Pick<RepoConfig, "approval" | "approvers">): AutoApproval {
  if (config.approval !== "auto") return { applies: false, ignored: null };
  if (config.approvers === "others") return { applies: false, ignored: AUTO_IGNORED_UNDER_FOUR_EYES };
  return { applies: true, ignored: null };
}
