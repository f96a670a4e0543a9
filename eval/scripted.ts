import { calledTools, phaseOf } from "../test/helpers/fake-llm/by-phase.ts";
import type { Step } from "../test/helpers/fake-llm/script.ts";
import { startFakeLlm, type FakeLlm } from "../test/helpers/fake-llm/server.ts";
import { solvingCalls, wrongCalls, type ToolCall } from "./edits.ts";
import type { ReferenceFile } from "./repos.ts";

/**
 * The scripted models, for CI and for checking the instrument itself: a
 * fake model server on 127.0.0.1 speaking OpenAI's Chat Completions wire
 * format (the real SDK and the real tool loop call it), served to OpenJules
 * as the provider `openai-compatible`. It knows each attempt's repository
 * (named in the system prompt) and the reference solution, and answers from
 * what each request shows:
 *
 * - planning: first `read_file` of every file the reference changes, then
 *   `submit_plan` naming them;
 * - execution: first the change, then `finish` (again after any round of
 *   failing tests, so a run never loops).
 *
 * `solve` makes the reference change (edit_file / write_file, rm for a
 * deleted file); `wrong` adds a blank line where the reference edits, which
 * changes nothing, so hidden tests that check the fix still fail. Every reply
 * reports SCRIPTED_USAGE tokens, so turns and tokens are known in advance:
 * 4 turns per task, and what they cost at the price of SCRIPTED_PRICE_OF.
 */

export const SCRIPTED_BEHAVIOURS = ["solve", "wrong"] as const;
export type ScriptedBehaviour = (typeof SCRIPTED_BEHAVIOURS)[number];

/** The model name OpenJules is configured with for a behaviour (provider `openai-compatible`). */
export const SCRIPTED_PREFIX = "scripted-";
export const scriptedModelName = (behaviour: ScriptedBehaviour) => `${SCRIPTED_PREFIX}${behaviour}`;

export const SCRIPTED_USAGE = { input: 2000, output: 200 } as const;

/** The default price table entry scripted models are billed at (src/agent/prices.ts), so the cost column is exercised. */
export const SCRIPTED_PRICE_OF = "gpt-4o";

export interface ScriptedAttempt {
  /** `owner/name` of the attempt's repository. */
  repository: string;
  files: ReferenceFile[];
  verification: string;
}

export interface ScriptedModels {
  baseUrl: string;
  /** Registers an attempt before its task starts. */
  expect(attempt: ScriptedAttempt): void;
  close(): Promise<void>;
}

const reply = (calls: ToolCall[]): Step => ({ kind: "reply", toolCalls: calls, usage: { ...SCRIPTED_USAGE } });

function answer(attempt: ScriptedAttempt, behaviour: ScriptedBehaviour, body: any): Step {
  const phase = phaseOf("openai", body);
  const called = calledTools("openai", body);
  const paths = attempt.files.map((f) => f.path);
  if (phase === "planning") {
    if (called.length === 0) {
      const reads = attempt.files.filter((f) => f.before !== null).map((f): ToolCall => ({ name: "read_file", input: { path: f.path } }));
      return reply(reads.length > 0 ? reads : [{ name: "list_files", input: {} }]);
    }
    const plan = {
      summary: `Change ${paths.join(", ")} as the issue asks.`,
      steps:
        attempt.files.length > 0
          ? attempt.files.map((f) => ({ title: `${f.before === null ? "Create" : f.after === null ? "Delete" : "Fix"} ${f.path}`, files: [f.path] }))
          : [{ title: "Nothing to change: no reference solution is known", files: [] }],
      risks: [],
      verification: attempt.verification,
    };
    return reply([{ name: "submit_plan", input: plan }]);
  }
  if (phase === "execution") {
    const changed = called.some((name) => name === "edit_file" || name === "write_file" || name === "run");
    const calls = behaviour === "solve" ? solvingCalls(attempt.files) : wrongCalls(attempt.files);
    if (!changed && calls.length > 0) return reply(calls);
    return reply([{ name: "finish", input: { summary: `scripted:${behaviour}: changed ${paths.join(", ") || "nothing"}.` } }]);
  }
  return { kind: "fail", status: 400, message: "scripted model: the request offers neither submit_plan nor finish" };
}

export async function startScriptedModels(): Promise<ScriptedModels> {
  const attempts = new Map<string, ScriptedAttempt>();
  const llm: FakeLlm = await startFakeLlm([], {
    respond: ({ format, body }) => {
      if (format !== "openai") return { kind: "fail", status: 404, message: "scripted models speak OpenAI's Chat Completions only" };
      const behaviour = SCRIPTED_BEHAVIOURS.find((b) => body?.model === scriptedModelName(b));
      if (!behaviour) return { kind: "fail", status: 404, message: `scripted model: no model ${String(body?.model)}` };
      const system = JSON.stringify(body?.messages?.[0] ?? "");
      const attempt = [...attempts.values()].find((a) => system.includes(`repository ${a.repository}.`));
      if (!attempt) return { kind: "fail", status: 400, message: "scripted model: the system prompt names no repository of this eval" };
      return answer(attempt, behaviour, body);
    },
  });
  return {
    baseUrl: llm.openaiBaseUrl,
    expect: (attempt) => void attempts.set(attempt.repository, attempt),
    async close() {
      await llm.close();
    },
  };
}
