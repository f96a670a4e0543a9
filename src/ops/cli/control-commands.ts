/**
 * The task commands that go through the control plane: `tasks create|
 * approve|revise|message|pause|resume|cancel|retry|diff|events|monitor`,
 * and the remote form (`--server`) of `list|show`. Each parses its arguments,
 * makes one call on the client (local: this machine's control plane as the
 * operator through the cli face; remote: the server's HTTP API with a
 * token) and prints the answer as text or `--json`. A refusal prints its
 * title and detail and exits 1.
 */
import type { Command } from "commander";
import type { Task } from "../../domain/model.ts";
import { unwrap, type TaskClient } from "./client.ts";
import { terminalSafe, where } from "./format.ts";
import { monitorTask, printEvents, type WatchIo } from "./monitor.ts";

export interface ControlIo extends WatchIo {
  err(text: string): void;
  /** Whether commands go to a server (`--server`, JULES_SERVER_URL or the config file name one). */
  remote(server: string | undefined): boolean;
  /** Runs `fn` with the client of `--server` (or JULES_SERVER_URL, or the config file), else the local one; sets the exit code. */
  withClient(server: string | undefined, json: boolean | undefined, fn: (client: TaskClient) => Promise<number | void>): Promise<void>;
}

type Opts = { json?: boolean; server?: string };
const SERVER = ["--server <url>", "an OpenJules server to talk to (default: JULES_SERVER_URL, the config file, else this machine)"] as const;

const line = (task: Task, verb: string) => terminalSafe(`Task ${task.id} (${where(`${task.owner}/${task.repo}`, task.issueNumber)}) ${verb}; it is now ${task.state}.`);
const text = (words: string[]) => words.join(" ").trim();

export function registerControlCommands(tasks: Command, io: ControlIo): void {
  const print = (json: boolean | undefined, value: unknown, render: () => string) => io.out(json ? JSON.stringify(value, null, 2) : render());
  tasks
    .command("create <repository> <instruction...>")
    .description("create a task for owner/name: it plans, then waits for approval (approve it with: tasks approve <id>)")
    .option("--base <branch>", "the base branch (the repository's default when not given)")
    .option("--issue <number>", "live in this issue's thread, as if /jules <instruction> had been written there")
    .option("--model <model>", "provider:model or a model, within JULES_ALLOWED_MODELS")
    .option("--idempotency-key <key>", "a retried create with the same key makes one task")
    .option(...SERVER)
    .option("--json", "print JSON")
    .action((repository: string, words: string[], opts: Opts & { base?: string; issue?: string; model?: string; idempotencyKey?: string }) =>
      io.withClient(opts.server, opts.json, async (client) => {
        const issue = opts.issue === undefined ? undefined : Number(opts.issue);
        if (issue !== undefined && !(Number.isSafeInteger(issue) && issue > 0)) return usage(io, opts.json, `--issue must be an issue number, got "${opts.issue}"`);
        const input = {
          repository,
          instruction: text(words),
          ...(opts.base !== undefined && { base: opts.base }),
          ...(issue !== undefined && { issue }),
          ...(opts.model !== undefined && { model: opts.model }),
          ...(opts.idempotencyKey !== undefined && { idempotencyKey: opts.idempotencyKey }),
        };
        const { task, created } = await unwrap(client.create(input));
        print(
          opts.json,
          { task, created },
          () => `${line(task, created ? "was created" : "already existed for this idempotency key")}\nFollow it with: openjules tasks monitor ${task.id}`,
        );
      }),
    );

  const simple = <O extends object>(
    spec: string,
    description: string,
    verb: string | ((id: string) => string),
    options: [string, string][],
    call: (client: TaskClient, id: string, rest: string[], opts: O) => ReturnType<TaskClient["approve"]>,
  ) => {
    const command = tasks.command(spec).description(description);
    for (const [flags, what] of options) command.option(flags, what);
    command
      .option(...SERVER)
      .option("--json", "print JSON")
      .action((id: string, ...args: unknown[]) => {
        const rest = Array.isArray(args[0]) ? (args[0] as string[]) : [];
        const opts = args.find((a): a is O & Opts => typeof a === "object" && a !== null && !Array.isArray(a) && !("parseAsync" in a)) ?? ({} as O & Opts);
        return io.withClient(opts.server, opts.json, async (client) => {
          const task = await unwrap(call(client, id, rest, opts));
          print(opts.json, task, () => line(task, typeof verb === "string" ? verb : verb(id)));
        });
      });
  };
  simple<{ note?: string }>("approve <id>", "approve the plan waiting for approval", "was approved", [["--note <text>", "a note recorded with the approval"]], (c, id, _, o) =>
    c.approve(id, o.note ? { note: o.note } : {}),
  );
  simple("revise <id> <feedback...>", "ask for a new plan with this feedback", "is revising its plan", [], (c, id, rest) => c.revise(id, { feedback: text(rest) }));
  simple<{ reason?: string }>(
    "pause <id>",
    "pause a working task at its next turn, keeping its work (a WIP commit)",
    "will pause at its next turn",
    [["--reason <text>", "why"]],
    (c, id, _, o) => c.pause(id, o.reason ? { reason: o.reason } : {}),
  );
  simple<{ reason?: string }>(
    "cancel <id>",
    "cancel a task; a worker running it stops within seconds and its status comment says so",
    "was cancelled",
    [["--reason <text>", "why (shown in the thread)"]],
    (c, id, _, o) => c.cancel(id, o.reason ? { reason: o.reason } : {}),
  );
  simple(
    "retry <id>",
    "a failed or cancelled task again, as a new task with the same request (it plans again)",
    (id) => `was created to retry ${id}`,
    [],
    (c, id) => c.retry(id),
  );
  simple<{ extra?: string }>(
    "resume <id>",
    "resume a paused task from its checkpoint",
    "was resumed",
    [["--extra <budget>", 'more budget: "$2", "20 turns", "30 minutes" or "100k tokens"']],
    (c, id, _, o) => c.resume(id, o.extra ? { extra: o.extra } : {}),
  );

  tasks
    .command("message <id> <text...>")
    .description("send text to a task: the agent's next turn while it works (or once resumed, while paused), a revision while a plan waits, a follow-up once done")
    .option(...SERVER)
    .option("--json", "print JSON")
    .action((id: string, words: string[], opts: Opts) =>
      io.withClient(opts.server, opts.json, async (client) => {
        const answer = await unwrap(client.message(id, { text: text(words) }));
        const how = {
          next_turn: "reaches the agent at its next turn",
          on_resume: "is delivered when the task resumes",
          revision: "revises the plan",
          follow_up: "starts a follow-up on the pull request",
        }[answer.delivery];
        print(opts.json, answer, () => terminalSafe(`Message sent to task ${answer.task.id}: it ${how}. The task is ${answer.task.state}.`));
      }),
    );

  tasks
    .command("diff <id>")
    .description("the unified diff of the task's branch against its base")
    .option(...SERVER)
    .option("--json", "print JSON")
    .action((id: string, opts: Opts) =>
      io.withClient(opts.server, opts.json, async (client) => {
        const diff = await unwrap(client.diff(id));
        print(opts.json, diff, () => (diff.diff ? terminalSafe(diff.diff.replace(/\n$/, "")) : `No change on ${diff.branch} against ${diff.base}.`));
      }),
    );

  tasks
    .command("events <id>")
    .description("the task's event log (state changes, activity, commands, output, plan, pull request, messages)")
    .option("--follow", "keep printing new events until the task is done, failed or cancelled")
    .option("--after <event-id>", "only events after this one", "0")
    .option(...SERVER)
    .option("--json", "one JSON object per line")
    .action((id: string, opts: Opts & { follow?: boolean; after: string }) =>
      io.withClient(opts.server, opts.json, async (client) => {
        const after = Number(opts.after);
        if (!Number.isSafeInteger(after) || after < 0) return usage(io, opts.json, `--after must be an event id (a whole number), got "${opts.after}"`);
        return printEvents(client, id, { follow: Boolean(opts.follow), json: Boolean(opts.json), after }, io);
      }),
    );

  tasks
    .command("monitor <id>")
    .description("watch a task live until it is done, failed, cancelled or paused")
    .option("--lines <n>", "lines of command output shown", "8")
    .option(...SERVER)
    .addHelpText(
      "after",
      "\nExit codes: 0 done, 3 failed, 4 cancelled, 5 paused (resume it with: openjules tasks resume <id>);\n1 when the task cannot be followed (unknown task, refused token, server unreachable), 130 on Ctrl-C.",
    )
    .action((id: string, opts: Opts & { lines: string }) =>
      io.withClient(opts.server, false, async (client) => {
        const lines = Number(opts.lines);
        if (!Number.isSafeInteger(lines) || lines < 0 || lines > 200) return usage(io, false, `--lines must be a whole number from 0 to 200, got "${opts.lines}"`);
        return monitorTask(client, id, io, lines);
      }),
    );
}

/** An action that goes to the server when one is named (the `remote` form), else runs `local` on this machine as before. */
export function remoteOr<A extends unknown[]>(io: ControlIo, remote: (client: TaskClient, ...args: A) => Promise<number | void>, local: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    const opts = args.find((a): a is Opts => typeof a === "object" && a !== null && !Array.isArray(a) && !("parseAsync" in a)) ?? {};
    if (!io.remote(opts.server)) return local(...args);
    return io.withClient(opts.server, opts.json, (client) => remote(client, ...args));
  };
}

export const serverOption = SERVER;

function usage(io: ControlIo, json: boolean | undefined, message: string): number {
  io.err(json ? JSON.stringify({ error: message }) : message);
  return 1;
}
