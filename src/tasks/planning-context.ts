import type { RepoConfig } from "../config/repo-config.ts";
import type { GitHubGateway } from "../github/port.ts";

/** What the plan and execute jobs run with, besides the use cases' deps. */
export interface PlanningContext {
  gh: GitHubGateway;
  config: RepoConfig;
  /** The app's own bot login, so its comments stay out of the prompt. */
  ownLogin: string | null;
  attempt: number;
  signal: AbortSignal;
}
