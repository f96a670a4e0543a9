/**
 * The `openjules` command line (commander): `tasks list|show|logs` and the
 * control-plane commands (control-commands.ts), `channel` (channel-command.ts), `tokens add|list|revoke`, `migrate`, `doctor`, and `start|web|worker` to run the server. Every command
 * takes `--json` for scripts. `runCli` returns the exit code instead of
 * exiting, and everything it touches (environment, backends, output, GitHub)
 * comes in through CliDeps, so tests drive it in-process.
 */
import { Command, CommanderError } from "commander";
import { pino, type Logger } from "pino";
import { webBaseOf } from "../../composition/web-base.ts";
import { REDACT_PATHS } from "../../log.ts";
import { loadSettings, SettingsError, type Settings } from "../../settings.ts";
import { formatDoctor, runDoctor, type DoctorDeps } from "./doctor.ts";
import type { Backends, BackendsFactory } from "./backends.ts";
import { formatMigrations, formatTaskDetail, formatTaskPage } from "./format.ts";
import { logsCommand } from "./logs-command.ts";
import { CliError, listCommand, remoteList, showCommand, type ListOptions } from "./task-commands.ts";
import { registerTokenCommands } from "./tokens-command.ts";
import type { ControlPlane } from "../../tasks/control/port.ts";
import { localClient, unwrap } from "./client.ts";
import { clientSession } from "./client-session.ts";
import { registerControlCommands, remoteOr, serverOption } from "./control-commands.ts";
import type { Screen } from "./monitor.ts";
import { registerChannelCommand } from "./channel-command.ts";

export interface CliDeps {
  env: Record<string, string | undefined>;
  backends: BackendsFactory;
  out(text: string): void;
  err(text: string): void;
  /** Runs the server in this process (`start`, `web`, `worker`) with the settings read from `env`. */
  serve?(settings: Settings, mode: "all" | "web" | "worker"): Promise<void>;
  doctor?: Partial<Omit<DoctorDeps, "env" | "backends" | "log">>;
  /** This machine's control plane over its backends (the composition root's); without it the control commands need --server. */
  controlPlane?(settings: Settings, log: Logger, backends: Backends): Promise<ControlPlane & { close?(): Promise<void> }>;
  /** The terminal `monitor` redraws on (null or absent: plain lines), Ctrl-C, and fetch for --server (tests). */
  screen?: Screen | null;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

type Json = { json?: boolean };

export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  let code = 0;
  const print = (json: boolean | undefined, value: unknown, text: () => string) => deps.out(json ? JSON.stringify(value, null, 2) : text());
  const cliLog = (settings?: Settings) =>
    pino(
      { level: settings?.log.level === "debug" || settings?.log.level === "trace" ? settings.log.level : "warn", redact: { paths: REDACT_PATHS, censor: "[redacted]" } },
      pino.destination({ fd: 2, sync: true }),
    );

  /** Runs a command with settings and open backends; operator mistakes become a message and exit code 1. */
  const act =
    <A extends unknown[]>(fn: (ctx: { settings: Settings; log: Logger; backends: Backends }, ...args: A) => Promise<void | number>) =>
    async (...args: A) => {
      const opts = args.find((a): a is Json => typeof a === "object" && a !== null && !(a instanceof Command)) ?? {};
      try {
        const settings = loadSettings(deps.env);
        const log = cliLog(settings);
        const backends = await deps.backends.open(settings, log);
        try {
          code = (await fn({ settings, log, backends }, ...args)) ?? 0;
        } finally {
          await backends.close();
        }
      } catch (error) {
        if (!(error instanceof CliError || error instanceof SettingsError)) throw error;
        deps.err(opts.json ? JSON.stringify({ error: error.message }) : error.message);
        code = 1;
      }
    };

  const program = new Command("openjules")
    .description("Operate OpenJules: inspect and manage tasks, migrate the database, check the installation, run the server.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.out(s.trimEnd()), writeErr: (s) => deps.err(s.trimEnd()) })
    .showHelpAfterError();
  const tasks = program.command("tasks").description("inspect and manage tasks, here or on a server (--server)");
  const control = clientSession({
    ...deps,
    setCode: (c) => void (code = c),
    async local() {
      const settings = loadSettings(deps.env);
      const log = cliLog(settings);
      if (!deps.controlPlane) throw new CliError("This build has no control plane on this machine; name a server with --server URL (or JULES_SERVER_URL).");
      const backends = await deps.backends.open(settings, log);
      try {
        const plane = await deps.controlPlane(settings, log, backends);
        return localClient(plane, backends.description, async () => {
          await plane.close?.();
          await backends.close();
        });
      } catch (error) {
        await backends.close();
        throw error;
      }
    },
  });

  tasks
    .command("list")
    .description("list tasks, newest first")
    .option("--repo <owner/name>", "only this repository")
    .option("--owner <login>", "only this owner's repositories")
    .option("--state <state>", "only tasks in this state")
    .option("--limit <n>", "how many (1-500)", "20")
    .option("--offset <n>", "skip this many")
    .option(...serverOption)
    .option("--json", "print JSON")
    .action(
      remoteOr(
        control,
        async (client, opts: ListOptions & Json) => {
          const page = await remoteList(client, opts);
          print(opts.json, page, () => formatTaskPage(page));
        },
        act(async ({ backends }, opts: ListOptions & Json) => {
          const page = await listCommand(backends, opts);
          print(opts.json, page, () => formatTaskPage(page));
        }),
      ),
    );

  tasks
    .command("show <id>")
    .description("a task's details, plan, state history and transcript summary")
    .option(...serverOption)
    .option("--json", "print JSON")
    .action(
      remoteOr(
        control,
        async (client, id: string, opts: Json) => {
          const view = await unwrap(client.get(id));
          print(opts.json, view, () => formatTaskDetail(view));
        },
        act(async ({ backends, settings }, id: string, opts: Json) => {
          const detail = await showCommand({ ...backends, dataDir: settings.dataDir, webBase: webBaseOf(settings) }, id);
          print(opts.json, detail, () => formatTaskDetail(detail));
        }),
      ),
    );

  tasks
    .command("logs <id>")
    .description("the task's agent transcript (model and tool calls, secrets redacted)")
    .option("--json", "print the JSON lines as stored")
    .action(
      act(async ({ backends, settings }, id: string, opts: Json) => {
        for await (const line of logsCommand({ store: backends.store, dataDir: settings.dataDir }, id, Boolean(opts.json))) deps.out(line);
      }),
    );

  registerControlCommands(tasks, control);
  registerChannelCommand(program, control);

  registerTokenCommands(program, { env: deps.env, out: deps.out, err: deps.err, setCode: (c) => void (code = c) });

  program
    .command("migrate")
    .description("bring the database schema up to date")
    .option("--json", "print JSON")
    .action(async (opts: Json) => {
      try {
        const settings = loadSettings(deps.env);
        const reports = await deps.backends.migrate(settings, cliLog(settings));
        print(opts.json, reports, () => formatMigrations(reports));
      } catch (error) {
        deps.err(opts.json ? JSON.stringify({ error: (error as Error).message }) : (error as Error).message);
        code = 1;
      }
    });

  program
    .command("doctor")
    .description("check settings, GitHub App, database, queue, sandbox, git, ripgrep and the LLM endpoint")
    .option("--json", "print JSON")
    .action(async (opts: Json) => {
      const report = await runDoctor({ env: deps.env, backends: deps.backends, log: cliLog(), ...deps.doctor });
      print(opts.json, report, () => formatDoctor(report));
      code = report.ok ? 0 : 1;
    });

  for (const [name, mode, what] of [
    ["start", "all", "web server and worker"],
    ["web", "web", "web server only"],
    ["worker", "worker", "worker only"],
  ] as const) {
    program
      .command(name)
      .description(`run the ${what}`)
      .action(async () => {
        if (!deps.serve) throw new CliError("This build cannot run the server from the CLI; use: node src/main.ts");
        await deps.serve(loadSettings(deps.env), mode);
      });
  }

  program
    .command("mcp")
    .description("serve the Model Context Protocol on stdin/stdout as the operator, for an AI assistant that starts this command (src/mcp)")
    .action(
      act(async ({ settings, log, backends }) => {
        if (!deps.controlPlane) throw new CliError("This build does not wire the control plane on this machine, which `openjules mcp` needs; use the server's /mcp instead.");
        const { serveMcpOverStdio } = await import("../../mcp/stdio.ts");
        const plane = await deps.controlPlane(settings, log, backends);
        try {
          await serveMcpOverStdio({ control: plane, dataDir: settings.dataDir, log });
        } finally {
          await plane.close?.();
        }
      }),
    );

  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (!(error instanceof CliError || error instanceof SettingsError)) throw error;
    deps.err(error.message);
    return 1;
  }
}
