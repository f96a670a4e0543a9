import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildContextBlock } from "../src/agent/context/prompt-context.ts";
import { estimateTokens } from "../src/agent/context/tokens.ts";
import type { ThreadContext } from "../src/agent/port.ts";
import { PROMPTS, render } from "../src/agent/prompts.ts";
import { planningTools } from "../src/agent/tools/tool-sets.ts";
import { toolSpec } from "../src/agent/tools/tool.ts";
import { defaultRepoConfig } from "../src/config/repo-config.ts";
import { generateLargeRepo, makeTempDir } from "../test/helpers/context-repo.ts";

/**
 * Size of the first planning prompt, in tokens (characters / 4), against the
 * 12,000-token target: the context block (repository map, instructions,
 * thread, task) and the whole first request (planning system prompt + tool
 * definitions + first user message), on this repository, on a generated
 * repository of 20,400 source files, and on the large one with an AGENTS.md
 * and a thread that hit every size cap (the worst case). Time is the median of 5 warm runs of buildContextBlock
 * (walk, rank, parse, format), plus the first (cold) run.
 */

const TARGET_TOKENS = 12_000;
const RUNS = 5;

const REALISTIC: ThreadContext = {
  title: "Config loader crashes when JULES_DATA_DIR has a trailing slash",
  body: [
    "When `JULES_DATA_DIR=/var/lib/jules/` is set the worker exits at start:",
    "",
    "```",
    "TypeError: Cannot read properties of undefined (reading 'split')",
    "    at loadSettings (src/settings.ts:128:31)",
    "    at main (src/main.ts:22:20)",
    "```",
    "",
    "Expected: the trailing slash is accepted. Version 0.1.0, Node 24, Debian 12.",
    "<!-- hidden note that must not reach the model -->",
  ].join("\n"),
  comments: [
    { author: "maintainer", body: "Reproduced. The path handling in settings.ts assumes no trailing slash." },
    { author: "reviewer", body: "Please add a regression test next to the existing settings tests." },
  ],
};

const MAXIMAL: ThreadContext = {
  title: "x".repeat(1_000),
  body: "A very long report line.\n".repeat(3_000),
  comments: Array.from({ length: 40 }, (_, i) => ({ author: `user${i}`, body: "Another long comment line.\n".repeat(250) })),
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Tokens of everything sent with the first planning call that is not the context block. */
function fixedPromptTokens(): number {
  const system = render(PROMPTS.plan, { repo: "owner/repository" });
  const tools = JSON.stringify(planningTools().map(toolSpec));
  const closing = "Explore the code as needed, then call submit_plan (or answer, if no code change is needed).";
  return estimateTokens(system) + estimateTokens(tools) + estimateTokens(closing);
}

async function measure(label: string, dir: string, thread: ThreadContext, fixed: number): Promise<string> {
  const input = { dir, config: defaultRepoConfig(), thread, instruction: "fix the crash and add a regression test" };
  let start = performance.now();
  const block = await buildContextBlock(input);
  const cold = performance.now() - start;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    start = performance.now();
    await buildContextBlock(input);
    times.push(performance.now() - start);
  }
  const blockTokens = estimateTokens(block);
  const total = blockTokens + fixed;
  const verdict = total <= TARGET_TOKENS ? "within" : "OVER";
  return (
    `prompt size, ${label}: context block ${blockTokens.toLocaleString("en-US")} tokens, whole first planning prompt ` +
    `${total.toLocaleString("en-US")} tokens (${verdict} the ${TARGET_TOKENS.toLocaleString("en-US")}-token target); ` +
    `build time median ${median(times).toFixed(0)} ms over ${RUNS} runs, first run ${cold.toFixed(0)} ms`
  );
}

export async function benchPromptSize(): Promise<string[]> {
  const fixed = fixedPromptTokens();
  const lines = [`prompt size: system prompt + planning tool definitions = ${fixed.toLocaleString("en-US")} tokens (chars / 4)`];
  lines.push(await measure("this repository", fileURLToPath(new URL("..", import.meta.url)), REALISTIC, fixed));
  const large = await makeTempDir("openjules-bench-prompt-");
  try {
    await generateLargeRepo(large.dir, 20_400);
    lines.push(await measure("generated repository (20,405 files)", large.dir, REALISTIC, fixed));
    await writeFile(join(large.dir, "AGENTS.md"), "- Keep functions short and tested.\n".repeat(1_000));
    lines.push(await measure("generated repository, AGENTS.md and thread at every size cap", large.dir, MAXIMAL, fixed));
  } finally {
    await large.remove();
  }
  return lines;
}

if (import.meta.main) {
  for (const line of await benchPromptSize()) console.log(line);
}
