import type { Logger } from "probot";
import type { Agent } from "../agent/port.ts";
import type { GitHubGateways } from "../github/port.ts";
import type { StatusPublisher } from "./status-publisher.ts";
import type { JobQueue } from "../queue/port.ts";
import type { TaskStore } from "../store/port.ts";
import type { DeliveryInput, DeliveryResult } from "../delivery/port.ts";
import type { BotIdentity } from "../workspace/port.ts";
import type { Workspaces } from "../workspace/port.ts";
import type { OwnKeys } from "./own-key.ts";

/** What the use cases are handed by the process entry (or a test). */
export interface TaskDeps {
  store: TaskStore;
  queue: JobQueue;
  github: GitHubGateways;
  status: StatusPublisher;
  /** Null when no LLM provider is configured: the thread is told so, nothing pretends to plan. */
  agent: Agent | null;
  workspaces: Workspaces;
  log: Logger;
  now: () => Date;
  /** Web address of GitHub for links (https://github.com or the GHE host). */
  webBase: string;
  /** JULES_PUBLIC_URL (no trailing slash): the web app's address, for links to a task's page; undefined when not set. */
  publicUrl?: string | undefined;
  /** The app's bot user (commits are authored by it); learned from GitHub once, retried until it is known. */
  identity: (installationId: number) => Promise<BotIdentity>;
  /** Commit, check, push and open the pull request (delivery/deliver.ts). */
  deliver: (input: DeliveryInput) => Promise<DeliveryResult>;
  /** Values of this process that must never leave in a diff, comment or PR body (keys, secrets). */
  secrets: readonly string[];
  /** The users' own provider keys (own-key.ts); absent when JULES_ALLOW_USER_KEYS is off. */
  ownKeys?: OwnKeys | undefined;
}

/** What the use cases a person starts need (the control plane's): everything but the worker's own agent, workspaces and delivery. */
export type UseCaseDeps = Omit<TaskDeps, "agent" | "workspaces" | "deliver">;
