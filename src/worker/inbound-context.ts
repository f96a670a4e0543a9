import type { GitHubGateway } from "../github/port.ts";
import type { TaskDeps } from "../tasks/deps.ts";

/** What the inbound job and the per-command handling run with. */
export interface InboundContext {
  deps: TaskDeps;
  gh: GitHubGateway;
  ownLogin: string | null;
}
