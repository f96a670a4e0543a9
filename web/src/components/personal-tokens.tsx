/** Personal API tokens (GET/POST /api/v1/me/tokens): the list, a new one (its secret shown once) and revoking. */
import { type FormEvent, useState } from "react";
import { api } from "../api.ts";
import { when } from "../format.ts";
import { useAction, useApi } from "../hooks.ts";
import type { TokenEntry } from "../types.ts";
import { Button, Field, inputClass, Loading, ProblemNotice, Section, TableHead } from "./ui.tsx";

const COLUMNS = ["Token", "Scopes", "Repositories", "Created", { label: "Actions", hidden: true }];

export function PersonalTokens({ enabled }: { enabled: boolean }) {
  const tokens = useApi<{ tokens: TokenEntry[] }>(enabled ? "/me/tokens" : null);
  const [label, setLabel] = useState("");
  const [write, setWrite] = useState(false);
  const [repositories, setRepositories] = useState("");
  const [created, setCreated] = useState<{ token: string; entry: TokenEntry } | null>(null);
  const [copied, setCopied] = useState(false);
  const action = useAction();

  if (!enabled) {
    return (
      <Section id="tokens" title="Personal API tokens">
        <p>Personal tokens are off on this server (the operator turns them on with JULES_API_TOKENS).</p>
      </Section>
    );
  }
  const create = (event: FormEvent) => {
    event.preventDefault();
    setCopied(false);
    const repos = repositories.split(/[\s,]+/).filter((r) => r !== "");
    void action.run(async () => {
      const answer = await api.post<{ token: string; entry: TokenEntry }>("/me/tokens", {
        scopes: write ? ["read", "write"] : ["read"],
        ...(repos.length > 0 ? { repositories: repos } : {}),
        ...(label.trim() ? { label: label.trim() } : {}),
      });
      setCreated(answer);
      setLabel("");
      setRepositories("");
      tokens.reload();
    });
  };
  const revoke = (entry: TokenEntry) =>
    void action.run(async () => {
      await api.post(`/me/tokens/${encodeURIComponent(entry.id)}/revoke`);
      if (created?.entry.id === entry.id) setCreated(null);
      tokens.reload();
    });
  const copy = () => {
    if (created)
      navigator.clipboard.writeText(created.token).then(
        () => setCopied(true),
        () => setCopied(false),
      );
  };
  const list = tokens.data?.tokens ?? [];
  return (
    <Section id="tokens" title="Personal API tokens">
      <p className="mb-3 text-sm text-slate-800">For the CLI, scripts and MCP clients: a token acts as you, within the scopes and repositories you give it.</p>
      {created && (
        <div role="status" className="mb-4 rounded-md border border-green-400 bg-green-50 p-3">
          <p className="font-semibold text-green-950">Your new token. Copy it now: it is not shown again.</p>
          <div className="mt-2 flex flex-wrap gap-2">
            <label htmlFor="new-token" className="sr-only">
              Your new token
            </label>
            <input id="new-token" readOnly value={created.token} className={`${inputClass} flex-1 font-mono`} onFocus={(e) => e.currentTarget.select()} />
            <Button onClick={copy}>{copied ? "Copied" : "Copy"}</Button>
          </div>
        </div>
      )}
      <ProblemNotice error={tokens.error} title="Your tokens could not be listed" />
      {tokens.data === null && tokens.loading && <Loading label="Loading your tokens…" />}
      {tokens.data && list.length === 0 && <p className="mb-3">You have no tokens.</p>}
      {list.length > 0 && (
        <div className="mb-4 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Your personal tokens</caption>
            <TableHead columns={COLUMNS} className="border-b border-slate-300" />
            <tbody>
              {list.map((entry) => (
                <TokenRow key={entry.id} entry={entry} busy={action.busy} revoke={revoke} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={create} className="grid gap-3 sm:grid-cols-2" aria-label="Create a token">
        <Field id="token-label" label="Label (optional)">
          <input id="token-label" className={inputClass} value={label} onChange={(e) => setLabel(e.target.value)} maxLength={100} />
        </Field>
        <Field id="token-repos" label="Repositories (optional)" hint="Empty: every repository you can use.">
          <input
            id="token-repos"
            className={inputClass}
            value={repositories}
            onChange={(e) => setRepositories(e.target.value)}
            placeholder="owner/name, owner/other"
            aria-describedby="token-repos-hint"
          />
        </Field>
        <div className="flex items-center gap-2 sm:col-span-2">
          <input id="token-write" type="checkbox" className="h-5 w-5" checked={write} onChange={(e) => setWrite(e.target.checked)} />
          <label htmlFor="token-write">Allow writes (start, approve, cancel tasks); without it the token only reads</label>
        </div>
        <div className="sm:col-span-2">
          <ProblemNotice error={action.problem} />
          <Button type="submit" variant="primary" disabled={action.busy}>
            Create token
          </Button>
        </div>
      </form>
    </Section>
  );
}

function TokenRow({ entry, busy, revoke }: { entry: TokenEntry; busy: boolean; revoke(entry: TokenEntry): void }) {
  const name = entry.label || entry.id;
  return (
    <tr className="border-b border-slate-200">
      <td className="p-2 break-all">{name}</td>
      <td className="p-2">{entry.scopes.join(", ")}</td>
      <td className="p-2 break-all">{entry.repositories === null ? "all yours" : entry.repositories.join(", ")}</td>
      <td className="p-2 whitespace-nowrap">{when(entry.createdAt)}</td>
      <td className="p-2">
        {entry.revokedAt ? (
          <span className="text-slate-700">revoked {when(entry.revokedAt)}</span>
        ) : (
          <Button variant="danger" onClick={() => revoke(entry)} disabled={busy} aria-label={`Revoke token ${name}`}>
            Revoke
          </Button>
        )}
      </td>
    </tr>
  );
}
