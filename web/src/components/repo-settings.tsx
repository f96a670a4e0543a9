/** A repository's effective settings (.github/jules.yml within the operator's caps), as the new-task page shows them. */
import { formatCost, formatCount } from "../../../src/render/format.ts";
import type { RepoSettings } from "../types.ts";

const show = (value: unknown, format: (v: number) => string = String): string => (typeof value === "number" ? format(value) : "no limit");

export function RepoSettingsView({ settings }: { settings: RepoSettings }) {
  const budgets = settings.budgets ?? {};
  const rows: [string, string][] = [
    ["Approval", settings.approval === "auto" ? "automatic: work starts as soon as the plan is made" : "a writer approves the plan before any code is changed"],
    ["Approvers", settings.approvers === "others" ? "a writer other than the person who asked (four-eyes rule)" : "anyone with write access"],
    ["Turns per phase", show(budgets.maxTurns, formatCount)],
    ["Tokens", show(budgets.maxTokens, formatCount)],
    ["Cost", show(budgets.maxCostUsd, formatCost)],
    ["Minutes per phase", show(budgets.maxMinutes)],
    ["Model", settings.model ?? "the default"],
    ["Command in threads", settings.command ? `/${settings.command}` : "/jules"],
  ];
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      {rows.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="font-semibold">{name}</dt>
          <dd className="break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
