/** The activity log: commands with their exit code and expandable output, and every other event as a line, as they happen. */
import { useState } from "react";
import { formatDuration } from "../../../src/render/format.ts";
import { cleanOutput } from "../../../src/sandbox/trim-output.ts";
import type { ActivityEntry, CommandEntry, NoteData } from "../activity.ts";
import { safeHref } from "../api.ts";
import { Button, stateLabel } from "./ui.tsx";

const SHOWN = 300;
/** The end of a long output is what matters; the page keeps the last part on screen. */
const MAX_OUTPUT = 200_000;

export function ActivityLog({ entries }: { entries: ActivityEntry[] }) {
  const [all, setAll] = useState(false);
  if (entries.length === 0) return <p className="text-slate-700">Nothing has happened yet.</p>;
  const hidden = all ? 0 : Math.max(0, entries.length - SHOWN);
  return (
    <>
      {hidden > 0 && (
        <Button className="mb-2" onClick={() => setAll(true)}>
          Show {hidden} earlier entries
        </Button>
      )}
      <ol className="space-y-1 text-sm" aria-label="Activity">
        {entries.slice(hidden).map((entry) => (
          <li key={entry.key} className="border-b border-slate-100 pb-1">
            <time dateTime={entry.at} className="mr-2 font-mono text-xs text-slate-700">
              {entry.at.slice(11, 19)}
            </time>
            {entry.kind === "command" ? <CommandLine entry={entry} /> : <Note data={entry.data} />}
          </li>
        ))}
      </ol>
    </>
  );
}

export function OutputBlock({ text, label }: { text: string; label: string }) {
  const clean = cleanOutput(text);
  const cut = clean.length > MAX_OUTPUT;
  const lines = clean === "" ? 0 : clean.replace(/\n$/, "").split("\n").length;
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-blue-800 underline">
        {label} ({lines} {lines === 1 ? "line" : "lines"})
      </summary>
      {cut && <p className="text-xs text-slate-700">The first {clean.length - MAX_OUTPUT} characters are left out.</p>}
      <pre className="mt-1 max-h-96 overflow-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">{cut ? clean.slice(-MAX_OUTPUT) : clean}</pre>
    </details>
  );
}

export function exitWords(entry: Pick<CommandEntry, "running" | "exitCode" | "durationMs">): string {
  if (entry.running) return "running…";
  const time = entry.durationMs !== null ? `, ${formatDuration(entry.durationMs)}` : "";
  return entry.exitCode === null ? `stopped without an exit code${time}` : `exit ${entry.exitCode}${time}`;
}

function CommandLine({ entry }: { entry: CommandEntry }) {
  const failed = !entry.running && entry.exitCode !== 0;
  return (
    <span className="inline">
      <span className="mr-1 rounded bg-slate-200 px-1 text-xs text-slate-900">{entry.source}</span>
      {entry.command !== null ? <code className="font-mono break-all">$ {entry.command}</code> : <span>Output</span>}
      {entry.command !== null && <span className={`ml-2 ${failed ? "font-semibold text-red-800" : "text-slate-700"}`}>({exitWords(entry)})</span>}
      {entry.output !== "" && <OutputBlock text={entry.output} label="Output" />}
    </span>
  );
}

function Note({ data }: { data: NoteData }) {
  switch (data.type) {
    case "state":
      return (
        <span>
          {data.from ? `${stateLabel(data.from)} → ` : ""}
          <strong>{stateLabel(data.to)}</strong> by {data.actor} ({data.face}){data.reason ? `: ${data.reason}` : ""}
        </span>
      );
    case "activity":
      return <span className="whitespace-pre-wrap">{data.line}</span>;
    case "tool":
      return (
        <span>
          <span className="mr-1 rounded bg-blue-100 px-1 text-xs text-blue-900">{data.tool}</span>
          <span className="break-all">{data.summary}</span>
        </span>
      );
    case "plan":
      return (
        <span>
          Plan version {data.version}: {data.summary} ({data.steps} {data.steps === 1 ? "step" : "steps"})
        </span>
      );
    case "pull_request": {
      const href = safeHref(data.url);
      return <span>Pull request {href ? <a href={href}>#{data.number}</a> : `#${data.number}`} opened</span>;
    }
    case "message":
      return (
        <span className="whitespace-pre-wrap">
          Message from {data.from} ({data.face}): {data.text}
        </span>
      );
    case "paused":
      // As the status comment says it (render/status.ts): a person's pause is "on request", a budget's reason says which.
      return <span>{data.cause === "operator" ? `Paused on request: ${data.reason}` : `Paused: it ${data.reason}`}</span>;
  }
}
