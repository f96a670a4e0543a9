/** Settings: the caller's personal API tokens and, when the operator allows it, their own provider API keys. */
import { useTitle } from "../hooks.ts";
import { useMe } from "../session.ts";
import { ProviderKeys } from "../components/provider-keys.tsx";
import { PersonalTokens } from "../components/personal-tokens.tsx";

export function SettingsPage() {
  useTitle("Settings");
  const me = useMe();
  return (
    <>
      <h1 className="my-4 text-2xl font-bold">Settings</h1>
      <PersonalTokens enabled={me.features.personalTokens} />
      {me.features.userKeys && <ProviderKeys />}
    </>
  );
}
