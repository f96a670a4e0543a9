import { validateRepoConfig } from "../config/load.ts";
import type { ConfigProblem } from "../config/problems.ts";
import type { RepoConfig } from "../config/repo-config.ts";
import type { GitHubGateway, RepoId } from "../github/port.ts";

/**
 * Loads and validates `.github/jules.yml` for one job. When the file is
 * invalid, the command word and label are guessed (the file's own value when
 * it is a plain word, else the default) so a command can still be recognised
 * and answered with what is wrong with the file; so is the assignment
 * trigger's login (the file's `assignee` when it is a login, else none).
 */
export type LoadedConfig = { ok: true; config: RepoConfig } | { ok: false; problems: ConfigProblem[]; commandGuess: string; labelGuess: string; assigneeGuess: string | undefined };

export async function loadRepoConfig(gh: GitHubGateway, repo: RepoId): Promise<LoadedConfig> {
  const load = await gh.loadConfig(repo);
  if (!load.ok) {
    return { ok: false, problems: load.problems, commandGuess: "jules", labelGuess: "jules", assigneeGuess: undefined };
  }
  const result = validateRepoConfig(load.raw);
  if (result.ok) return { ok: true, config: result.config };
  const raw = (typeof load.raw === "object" && load.raw !== null ? load.raw : {}) as Record<string, unknown>;
  const word = (v: unknown) => (typeof v === "string" && /^[a-z][a-z0-9-]{0,31}$/i.test(v) ? v : "jules");
  const assigneeGuess = typeof raw.assignee === "string" && /^[a-z\d][a-z\d-]{0,38}$/i.test(raw.assignee) ? raw.assignee : undefined;
  return { ok: false, problems: result.problems, commandGuess: word(raw.command), labelGuess: typeof raw.label === "string" ? raw.label : "jules", assigneeGuess };
}
