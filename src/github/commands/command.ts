/**
 * The typed result of parsing a comment: `JulesCommand`, a zod-validated
 * discriminated union, and the limits the parser applies. Handlers switch on
 * `kind`; they never look at the comment text again.
 *
 * `unknown` carries the word that was not understood so the reply can explain
 * it: an unknown `/jules <word>` subcommand, `revise` when `/revise` came
 * without feedback, `ask` when `/jules ask` came without a question, and
 * `--base` when `/jules --base` named no valid branch.
 */
import { z } from "zod";
import { isValidBranchName } from "./branch-name.ts";

/** Longest text (task, note, feedback, reason) kept from a comment, in UTF-16 code units; the rest is cut. */
export const MAX_COMMAND_TEXT = 20_000;
/** Longest word reported back in an `unknown` command. */
export const MAX_UNKNOWN_WORD = 24;

const text = z.string().max(MAX_COMMAND_TEXT);

export const JulesCommandSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("start"),
    /** The instruction; empty means "the issue itself is the task". */
    text,
    /** Base branch named with `--base`, or null for the repository's default branch. */
    base: z.string().refine(isValidBranchName, "not a valid branch name").nullable(),
  }),
  z.object({ kind: z.literal("approve"), note: text }),
  z.object({ kind: z.literal("revise"), feedback: text.min(1) }),
  z.object({ kind: z.literal("cancel"), reason: text }),
  z.object({ kind: z.literal("status") }),
  /** `/jules resume [budget]`: a paused task goes on; `budget` is more budget in words ("$2", "20 turns"), empty for none. */
  z.object({ kind: z.literal("resume"), budget: text }),
  /** `/jules pause`: a working task stops at its next turn, keeping its work. */
  z.object({ kind: z.literal("pause") }),
  /** `/jules fix-ci` on a pull request OpenJules opened: a follow-up that fixes the checks failing on its head commit. */
  z.object({ kind: z.literal("fix_ci") }),
  z.object({ kind: z.literal("help") }),
  /** `/jules ask <question>`: answered from the code in the thread (on a pull request: about its diff); never changes code. */
  z.object({ kind: z.literal("ask"), question: text.min(1) }),
  z.object({ kind: z.literal("unknown"), word: z.string().min(1).max(MAX_UNKNOWN_WORD) }),
]);

export type JulesCommand = z.infer<typeof JulesCommandSchema>;
