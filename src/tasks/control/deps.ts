import type { EventFeed } from "../../events/port.ts";
import type { InstallationDirectory } from "../../github/port.ts";
import type { Settings } from "../../settings.ts";
import type { SpeechFinder } from "../../speech/port.ts";
import type { UseCaseDeps } from "../deps.ts";

/**
 * What the control plane is built with (createControlPlane): the task
 * pipeline's dependencies, plus
 * - `feed`: live notices of new events (follow, waitForChange);
 * - `installations`: the app's installations (create, repositories);
 * - `allowedModels`: JULES_ALLOWED_MODELS (settings.agent.allowedModels): a model asked for at creation must be one;
 * - `caps`: the operator's budget caps (settings.agent.caps): resume adds budget within them;
 * - `ownLogin`: the app's bot login once known (`<slug>[bot]`), kept out of thread snapshots (follow-ups);
 * - `defaultModel`: the operator's `provider:model` (settings.agent), shown as the default (models, repositorySettings); none when absent;
 * - `speech`: the speech engine of the spoken summaries (src/speech); without it, summaries have no audio.
 */
export interface ControlDeps extends UseCaseDeps {
  feed: EventFeed;
  installations: InstallationDirectory;
  allowedModels: readonly string[];
  caps: Settings["agent"]["caps"];
  ownLogin: () => string | null;
  defaultModel?: string | null;
  speech?: SpeechFinder;
}
