import type { GitHubGateway } from "../github/port.ts";
import type { Settings } from "../settings.ts";
import type { TaskDeps } from "../tasks/deps.ts";

/** What the inbound job and the per-command handling run with. */
export interface InboundContext {
  deps: TaskDeps;
  gh: GitHubGateway;
  ownLogin: string | null;
  /** The operator's budget caps (settings.agent.caps): `/jules resume` adds budget within them. */
  caps?: Settings["agent"]["caps"] | undefined;
  /** The operator's JULES_ASSIGNEE (settings.github.assignee): the assignment trigger's login where jules.yml sets none. */
  assignee?: string | undefined;
}
