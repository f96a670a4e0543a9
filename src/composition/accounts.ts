import type { TokenSources } from "../access/resolve-principal.ts";
import { type AccountUseCases, createAccountUseCases } from "../accounts/use-cases.ts";
import type { Settings } from "../settings.ts";
import type { TaskStore } from "../store/port.ts";
import type { ControlPlane } from "../tasks/control/port.ts";

/** The Settings page's use cases of a process (the caller's personal tokens and provider keys), over its token file, store and control plane. */
export function accountsFor(settings: Settings, access: TokenSources, store: TaskStore, control: () => Promise<ControlPlane>): AccountUseCases {
  return createAccountUseCases({
    tokens: access.tokens,
    accounts: store.accounts,
    repositories: async (caller) => (await control()).repositories(caller),
    web: settings.web,
  });
}
