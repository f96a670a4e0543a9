/**
 * `openjules channel --inbox FILE --outbox FILE --repo owner/name [--base B]
 * [--server URL]`: the file channel for a chat process (src/channel), on
 * this machine's control plane as the operator (face `cli`) or on a
 * server's API with the token (README, File channel: Chat channel). It runs
 * until Ctrl-C (exit 130), and exits 1 when it cannot start (bad usage, a
 * damaged state file, another channel on the same outbox) or a file cannot
 * be written.
 */
import type { Command } from "commander";
import { ChannelFileError } from "../../channel/files.ts";
import { runChannel } from "../../channel/runner.ts";
import { serverOption, type ControlIo } from "./control-commands.ts";
import { CliError } from "./task-commands.ts";

type Options = { inbox: string; outbox: string; repo: string; base?: string; server?: string; pollMs: string };

export function registerChannelCommand(program: Command, io: ControlIo): void {
  program
    .command("channel")
    .description("start a task for each prompt a chat process writes to the inbox file, and write each task's result to the outbox file (JSON lines, version 1)")
    .requiredOption("--inbox <file>", "the file prompts are appended to (created when missing)")
    .requiredOption("--outbox <file>", "the file results are appended to (created when missing; its state file sits beside it)")
    .requiredOption("--repo <owner/name>", "the repository of prompts that name none")
    .option("--base <branch>", "the base branch of prompts that name none (the repository's default when not given)")
    .option("--poll-ms <ms>", "how often the inbox is looked at besides file events", "1000")
    .option(...serverOption)
    .addHelpText("after", "\nStops on Ctrl-C (exit 130); started again, it goes on where it stopped: no prompt is lost or started twice.")
    .action((opts: Options) =>
      io.withClient(opts.server, false, async (client) => {
        const pollMs = Number(opts.pollMs);
        if (!/^[\w.-]+\/[\w.-]+$/.test(opts.repo)) throw new CliError(`--repo must be owner/name, got "${opts.repo}"`);
        if (!Number.isSafeInteger(pollMs) || pollMs < 50 || pollMs > 60_000) throw new CliError(`--poll-ms must be a whole number from 50 to 60000, got "${opts.pollMs}"`);
        const signal = io.signal ?? new AbortController().signal;
        try {
          return await runChannel(client, { inbox: opts.inbox, outbox: opts.outbox, repo: opts.repo, base: opts.base, signal, pollMs, log: io.err });
        } catch (error) {
          if (error instanceof ChannelFileError || (error as NodeJS.ErrnoException).code?.startsWith("E")) throw new CliError((error as Error).message);
          throw error;
        }
      }),
    );
}
