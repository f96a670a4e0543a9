import { CONFIG_PATH, type RepoConfig } from "../../config/repo-config.ts";
import { commandWord } from "../../render/escape.ts";
import { loadRepoConfig } from "../repo-config.ts";
import type { TaskDeps } from "../deps.ts";
import type { Result } from "./port.ts";
import { fail, ok } from "./result.ts";

const SHOWN_PROBLEMS = 5;

/** `.github/jules.yml` of the repository (loaded as the worker loads it), or what is wrong with it. */
export async function repoSettings(deps: Pick<TaskDeps, "github">, where: { installationId: number; owner: string; repo: string }): Promise<Result<RepoConfig>> {
  const gh = await deps.github.forInstallation(where.installationId);
  const loaded = await loadRepoConfig(gh, where);
  if (loaded.ok) return ok(loaded.config);
  const shown = loaded.problems.slice(0, SHOWN_PROBLEMS).map((p) => `${p.key}: ${p.message} (expected ${p.expected})`);
  if (loaded.problems.length > SHOWN_PROBLEMS) shown.push(`and ${loaded.problems.length - SHOWN_PROBLEMS} more`);
  return fail(
    "conflict",
    "Repository settings invalid",
    `${CONFIG_PATH} of ${where.owner}/${where.repo} is invalid: ${shown.join("; ")}. Fix it on the default branch (comment \`/${commandWord(loaded.commandGuess)} help\` to see the settings), then try again.`,
  );
}
