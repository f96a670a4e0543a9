/** The caller's own provider API keys (GET/POST /api/v1/me/keys): only the last four characters are ever shown again. */
import { type FormEvent, useState } from "react";
import { api } from "../api.ts";
import { when } from "../format.ts";
import { useAction, useApi } from "../hooks.ts";
import type { ProviderKey } from "../types.ts";
import { Button, Field, inputClass, Loading, Notice, ProblemNotice, Section } from "./ui.tsx";

const PROVIDERS = ["anthropic", "openai", "openai-compatible"];

export function ProviderKeys() {
  const keys = useApi<{ enabled: boolean; keys: ProviderKey[] }>("/me/keys");
  const [provider, setProvider] = useState(PROVIDERS[0]!);
  const [apiKey, setApiKey] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();

  const save = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    void action.run(async () => {
      const saved = await api.post<ProviderKey>("/me/keys", { provider, apiKey });
      setApiKey("");
      setNotice(`Saved your ${saved.provider} key ending in ${saved.last4}.`);
      keys.reload();
    });
  };
  const remove = (key: ProviderKey) => {
    setNotice(null);
    void action.run(async () => {
      await api.post(`/me/keys/${encodeURIComponent(key.provider)}/delete`);
      setNotice(`Deleted your ${key.provider} key.`);
      keys.reload();
    });
  };
  const list = keys.data?.keys ?? [];
  return (
    <Section id="keys" title="Your provider API keys">
      <p className="mb-3 text-sm text-slate-800">
        Tasks you start use your own key for their provider. Keys are stored encrypted and never shown again, only their last four characters.
      </p>
      <ProblemNotice error={keys.error} title="Your keys could not be listed" />
      {keys.data === null && keys.loading && <Loading label="Loading your keys…" />}
      {keys.data && list.length === 0 && <p className="mb-3">You have saved no key.</p>}
      {list.length > 0 && (
        <ul className="mb-4 divide-y divide-slate-200" aria-label="Saved keys">
          {list.map((key) => (
            <li key={key.provider} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <strong>{key.provider}</strong> ending in <code className="font-mono">{key.last4}</code>, saved {when(key.createdAt)}
              </span>
              <Button variant="danger" onClick={() => remove(key)} disabled={action.busy} aria-label={`Delete the ${key.provider} key`}>
                Delete
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={save} className="grid gap-3 sm:grid-cols-[max-content_1fr_max-content] sm:items-end" aria-label="Save a key">
        <Field id="key-provider" label="Provider">
          <select id="key-provider" className={inputClass} value={provider} onChange={(e) => setProvider(e.target.value)}>
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <Field id="key-value" label="API key">
          <input
            id="key-value"
            type="password"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            required
          />
        </Field>
        <Button type="submit" variant="primary" disabled={action.busy || apiKey.trim() === ""}>
          Save key
        </Button>
      </form>
      {notice && <Notice>{notice}</Notice>}
      <ProblemNotice error={action.problem} />
    </Section>
  );
}
