import { z } from "zod";
import { DEFAULT_DENY_PATHS } from "../security/default-deny-paths.ts";
import { ENV_NAME, reservedEnvName } from "./env-names.ts";

/**
 * `.github/jules.yml`: per-repository settings, read with Probot's config
 * loader from the default branch (so `_extends` and the owner's `.github`
 * repository give organisation-wide defaults). Every field is described: the
 * JSON Schema in `schema/jules.schema.json` is generated from this file
 * (`npm run schema`) and a test fails when the checked-in copy is stale.
 */
export const RepoConfigSchema = z
  .object({
    command: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/i, "a single word of letters, digits or dashes, without the slash")
      .default("jules")
      .describe("The command word people type after a slash to talk to OpenJules, e.g. `jules` for `/jules fix ...`."),
    label: z.string().min(1).max(50).default("jules").describe("Adding this label to an issue (or opening an issue with it) starts a task from the issue."),
    approval: z
      .enum(["required", "auto"])
      .default("required")
      .describe("`required`: a writer must `/approve` the plan before any code is changed. `auto`: work starts as soon as the plan is posted."),
    approvers: z
      .enum(["writers", "others"])
      .default("writers")
      .describe("Who may approve a plan. `writers`: anyone with write access (admin, maintain, write). `others`: a writer other than the person who asked (four-eyes rule)."),
    instructions: z.string().min(1).optional().describe("Path of a file with instructions for the agent, used instead of AGENTS.md, .github/copilot-instructions.md or CLAUDE.md."),
    provider: z.enum(["openai", "anthropic", "openai-compatible"]).optional().describe("LLM provider for this repository; must be allowed by the operator (JULES_ALLOWED_MODELS)."),
    model: z.string().min(1).optional().describe("Model for this repository; must be in the operator's allowlist (JULES_ALLOWED_MODELS)."),
    budgets: z
      .object({
        max_turns: z.number().int().positive().optional().describe("Maximum model turns per phase; capped by the operator's JULES_MAX_TURNS."),
        max_tokens: z.number().int().positive().optional().describe("Maximum input+output tokens per task; capped by JULES_MAX_TOKENS."),
        max_cost_usd: z.number().positive().optional().describe("Maximum estimated cost per task in US dollars; capped by JULES_MAX_COST_USD."),
        max_minutes: z.number().positive().optional().describe("Maximum wall time per phase in minutes; capped by JULES_MAX_MINUTES."),
      })
      .strict()
      .default({})
      .describe("Per-task budgets, each capped by the operator's limit of the same name."),
    deny_paths: z
      .array(z.string().min(1))
      .default([...DEFAULT_DENY_PATHS])
      .describe(
        "Glob patterns of paths the agent may never write; a diff touching them is refused. Setting it replaces the default, which lists the files that define what CI runs with secrets on a pushed branch: " +
          DEFAULT_DENY_PATHS.map((p) => `\`${p}\``).join(", ") +
          ".",
      ),
    setup: z.string().min(1).optional().describe("Shell command that installs the repository's dependencies before tests (detected when absent)."),
    test: z.string().min(1).optional().describe("Shell command that runs the repository's tests (detected when absent)."),
    setup_network: z
      .union([z.enum(["none", "public"]), z.boolean()])
      .default("public")
      .transform((v): "none" | "public" => (v === true ? "public" : v === false ? "none" : v))
      .describe(
        "Network for the setup command: `public` (the default: public hosts on ports 80/443 only, through OpenJules's egress proxy, so package registries answer but never loopback, private or metadata addresses; the operator may forbid it with JULES_SETUP_NETWORK=off) or `none`. `true`/`false` are accepted as `public`/`none`. Tests and the agent's commands never have network.",
      ),
    env: z
      .record(
        z
          .string()
          .regex(ENV_NAME, "an environment variable name: capital letters, digits and underscores, not starting with a digit")
          .refine((name) => !reservedEnvName(name), {
            message: "set by the sandbox itself: HOME, PATH, USER, LOGNAME, SHELL, TMPDIR, PWD, the proxy variables, LD_*, GIT_* and NPM_CONFIG_* cannot be set",
          }),
        z.string().max(4096),
      )
      .refine((env) => Object.keys(env).length <= 64, "at most 64 variables")
      .default({})
      .describe(
        "Non-secret environment variables for every command of a task (setup, the agent's commands, tests), e.g. `TZ: Europe/Berlin` or `RUST_BACKTRACE: \"1\"`. Names are capital letters, digits and underscores; values are strings (quote numbers and booleans). Never put secrets here: the file is public to whoever reads the repository and the values reach the model's transcript. Variables the sandbox sets itself (HOME, PATH, USER, LOGNAME, SHELL, TMPDIR, PWD, the proxy variables, LD_*, GIT_*, NPM_CONFIG_*) cannot be set; the locale, TZ, CI and the like can.",
      ),
    on_setup_failure: z
      .enum(["stop", "continue"])
      .default("stop")
      .describe(
        "What to do when the setup command fails: `stop` the task before the model runs (the status shows the command, its output and what to do), or `continue` and let the agent work anyway (for example to fix a broken manifest), with tests that will likely fail.",
      ),
    on_test_failure: z
      .enum(["draft_pr", "branch_only", "abort"])
      .default("draft_pr")
      .describe("What to do when tests still fail at the end: open a draft PR marked as failing, push the branch only, or stop without pushing."),
    agent: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, "an agent name: lower-case letters, digits and dashes")
      .default("builtin")
      .describe(
        "Which coding agent does the work: `builtin` (OpenJules's own tool loop) or the name of an external agent the operator defines in JULES_AGENTS (e.g. `claude-code`, `codex`, `aider`); it runs in the same sandbox, behind the same approval, tests, secret scan and pull request.",
      ),
    assignee: z
      .string()
      .regex(/^[a-z\d](?:[a-z\d-]{0,38})$/i, "a GitHub login (letters, digits and dashes)")
      .optional()
      .describe(
        "Assigning an issue to this GitHub account starts a task (GitHub Apps cannot be assignees, so it is a user or machine account you choose); unassigning it cancels a task that has not started its work. Defaults to the operator's JULES_ASSIGNEE; none when neither is set.",
      ),
    ci_fix: z
      .enum(["auto", "ask", "off"])
      .default("ask")
      .describe(
        "When checks fail on a pull request OpenJules opened: `auto` starts a follow-up with what failed, `ask` posts the failing checks and suggests `/jules fix-ci`, `off` does nothing.",
      ),
    max_ci_fix_attempts: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe("Automatic CI fix attempts per pull request (`ci_fix: auto`); a person's `/jules fix-ci` is not counted against it."),
    draft: z.boolean().default(true).describe("Open pull requests as drafts."),
    labels: z.array(z.string().min(1)).default([]).describe("Labels added to the pull requests OpenJules opens."),
  })
  .strict()
  .describe("OpenJules settings for this repository (.github/jules.yml).");

export type RepoConfig = z.output<typeof RepoConfigSchema>;

export const CONFIG_PATH = ".github/jules.yml";

export const defaultRepoConfig = (): RepoConfig => RepoConfigSchema.parse({});
