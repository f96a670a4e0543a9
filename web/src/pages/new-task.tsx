/**
 * New task: a repository (searchable), a branch (the default first), what to
 * do, optionally an issue to live in, a model within what the operator
 * allows, and the repository's effective settings shown before starting.
 * The POST carries an Idempotency-Key, the same for a retry of the same
 * request, so a double click or a retry after a lost answer starts one task.
 */
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { api, idempotencyKey, repoPath } from "../api.ts";
import { Button, Field, inputClass, Loading, ProblemNotice, Section } from "../components/ui.tsx";
import { useAction, useApi, useTitle } from "../hooks.ts";
import { BASE, navigate, useLocation } from "../router.tsx";
import type { Models, RepoSettings, Repository, Task } from "../types.ts";
import { RepoSettingsView } from "../components/repo-settings.tsx";

/** The default branch first, then the others in the order GitHub gave. */
export function orderBranches(branches: readonly string[], defaultBranch: string | undefined): string[] {
  if (!defaultBranch) return [...branches];
  return [defaultBranch, ...branches.filter((b) => b !== defaultBranch)];
}

export function NewTaskPage() {
  useTitle("New task");
  const { search } = useLocation();
  const repos = useApi<{ repositories: Repository[] }>("/repos");
  const models = useApi<Models>("/models");
  const [filter, setFilter] = useState("");
  const [repository, setRepository] = useState(search.get("repo") ?? "");
  const [branch, setBranch] = useState("");
  const [instruction, setInstruction] = useState("");
  const [issue, setIssue] = useState("");
  const [model, setModel] = useState("");
  const submission = useAction();
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const all = repos.data?.repositories ?? [];
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle ? all.filter((r) => r.fullName.toLowerCase().includes(needle)) : all;
  }, [all, filter]);
  useEffect(() => {
    if (all.length === 0) return;
    if (!all.some((r) => r.fullName === repository)) setRepository(all[0]!.fullName);
  }, [all, repository]);
  useEffect(() => {
    if (shown.length > 0 && !shown.some((r) => r.fullName === repository)) setRepository(shown[0]!.fullName);
  }, [shown, repository]);

  const selected = all.find((r) => r.fullName === repository);
  const branches = useApi<{ branches: string[] }>(selected ? `${repoPath(selected.fullName)}/branches` : null);
  const settings = useApi<RepoSettings>(selected ? `${repoPath(selected.fullName)}/settings` : null);
  const branchOptions = orderBranches(branches.data?.branches ?? [], selected?.defaultBranch);
  useEffect(() => {
    setBranch(selected?.defaultBranch ?? "");
  }, [selected?.defaultBranch]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!selected) return;
    const body: Record<string, unknown> = { repository: selected.fullName, instruction };
    if (branch) body.base = branch;
    if (issue.trim()) body.issue = Number(issue);
    if (model) body.model = model;
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: idempotencyKey() };
    const key = attempt.current.key;
    void submission.run(async () => {
      const task = await api.post<Task>("/tasks", body, { headers: { "idempotency-key": key } });
      navigate(`${BASE}/tasks/${encodeURIComponent(task.id)}`);
    });
  };

  return (
    <>
      <h1 className="my-4 text-2xl font-bold">New task</h1>
      <ProblemNotice error={repos.error} title="Your repositories could not be listed" />
      {repos.data === null && repos.loading && <Loading label="Loading your repositories…" />}
      {repos.data && all.length === 0 && <p>OpenJules is not installed on any repository you can use. Install the GitHub App on a repository, then reload this page.</p>}
      {all.length > 0 && (
        <form onSubmit={submit} className="grid gap-4" aria-label="New task">
          <fieldset className="grid gap-3 sm:grid-cols-2">
            <legend className="sr-only">Where</legend>
            <Field
              id="repo-search"
              label="Search repositories"
              hint={shown.length === all.length ? `${all.length} repositories` : `${shown.length} of ${all.length} repositories match`}
            >
              <input
                id="repo-search"
                type="search"
                className={inputClass}
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                aria-controls="repository"
                aria-describedby="repo-search-hint"
                autoComplete="off"
              />
            </Field>
            <Field id="repository" label="Repository">
              <select id="repository" className={inputClass} value={repository} onChange={(e) => setRepository(e.target.value)} required disabled={shown.length === 0}>
                {shown.map((r) => (
                  <option key={r.fullName} value={r.fullName}>
                    {r.fullName}
                    {r.private ? " (private)" : ""}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="branch" label="Branch">
              <select id="branch" className={inputClass} value={branch} onChange={(e) => setBranch(e.target.value)} disabled={!selected}>
                {branchOptions.length === 0 && selected && <option value={selected.defaultBranch}>{selected.defaultBranch} (default)</option>}
                {branchOptions.map((b) => (
                  <option key={b} value={b}>
                    {b === selected?.defaultBranch ? `${b} (default)` : b}
                  </option>
                ))}
              </select>
              <ProblemNotice error={branches.error} title="The branches could not be listed" />
            </Field>
            <Field id="issue" label="Issue number (optional)" hint="The task then lives in that issue's thread, as if /jules had been written there.">
              <input
                id="issue"
                type="number"
                inputMode="numeric"
                min={1}
                step={1}
                className={inputClass}
                value={issue}
                onChange={(e) => setIssue(e.target.value)}
                aria-describedby="issue-hint"
              />
            </Field>
          </fieldset>
          <Field id="instruction" label="What should OpenJules do?" hint="As you would write it after /jules: the change, where, and how to check it.">
            <textarea
              id="instruction"
              className={`${inputClass} min-h-40`}
              value={instruction}
              onChange={(e) => setInstruction(e.target.value)}
              required
              maxLength={20_000}
              aria-describedby="instruction-hint"
            />
          </Field>
          <Field id="model" label="Model">
            <select id="model" className={inputClass} value={model} onChange={(e) => setModel(e.target.value)} disabled={!models.data}>
              <option value="">{models.data?.default ? `Default (${models.data.default})` : "Default"}</option>
              {models.data?.allowed
                .filter((m) => m !== models.data?.default)
                .map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
            </select>
            <ProblemNotice error={models.error} title="The models could not be listed" />
          </Field>
          {selected && (
            <Section id="effective-settings" title={`Settings for ${selected.fullName}`}>
              {settings.data === null && settings.loading && <Loading label="Loading the repository's settings…" />}
              <ProblemNotice error={settings.error} title="The repository's settings could not be read" />
              {settings.data && <RepoSettingsView settings={settings.data} />}
            </Section>
          )}
          <ProblemNotice error={submission.problem} />
          <div>
            <Button type="submit" variant="primary" disabled={submission.busy || !selected || instruction.trim() === ""}>
              {submission.busy ? "Starting…" : "Start task"}
            </Button>
          </div>
        </form>
      )}
    </>
  );
}
