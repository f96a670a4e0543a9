/**
 * `openjules channel`: a chat process hands OpenJules prompts through an
 * inbox file and reads the results from an outbox file (protocol.ts). Each
 * complete inbox line becomes a task through the control plane's create,
 * with an idempotency key made from the prompt's id; the task is followed
 * on its event log (history, then live: no polling) and its reports
 * (result.ts) are appended to the outbox: the plan while it waits for
 * approval, a pause, then how it ended. Every step (an outbox line and the
 * state it leads to) is one unit, saved before the next begins (files.ts),
 * so a channel stopped at any moment and started again neither starts a
 * prompt's task twice nor loses a prompt or a report. The client is the
 * CLI's, on this machine or on a server; a server that cannot be reached is
 * waited for, with growing pauses.
 */
import { createHash } from "node:crypto";
import { open, realpath } from "node:fs/promises";
import type { Task, TaskLogEvent, TaskState } from "../domain/model.ts";
import type { CreateInput, Result, TaskView, UseCaseError } from "../tasks/control/port.ts";
import { appendLine, type ChannelState, linesAfter, loadState, saveState, withOutboxLock } from "./files.ts";
import { type InboxLine, MAX_LINE_BYTES, readLines, watchInbox } from "./inbox.ts";
import { lineKey, parsePromptLine, type PromptLine, refusedLine, type ResultLine } from "./protocol.ts";
import { reportOf } from "./result.ts";

/** What the channel needs of a task client (the CLI's local or remote TaskClient). */
export interface ChannelClient {
  create(input: CreateInput): Promise<Result<{ task: Task; created: boolean }>>;
  get(id: string): Promise<Result<TaskView>>;
  follow(id: string, input: { after: number; signal: AbortSignal }): Promise<Result<AsyncIterable<TaskLogEvent>>>;
}

export interface ChannelOptions {
  inbox: string;
  outbox: string;
  /** `owner/name` for prompts that name none. */
  repo: string;
  base?: string | undefined;
  /** Ends the channel (Ctrl-C): it finishes the step under way, saves its state and returns 130. */
  signal: AbortSignal;
  /** A line for the person running it (stderr). */
  log(text: string): void;
  pollMs?: number;
  /** The first pause before asking an unreachable server again (doubles up to 30 s). */
  retryMs?: number;
}

/** The states a report can come from: only a change to one of these is worth reading the task again. */
const REPORTED: readonly TaskState[] = ["awaiting_approval", "paused", "done", "failed", "cancelled"];
const MAX_RETRY_MS = 30_000;

/** Runs until the signal aborts (130), or a file cannot be written (1). */
export async function runChannel(client: ChannelClient, options: ChannelOptions): Promise<number> {
  for (const path of [options.inbox, options.outbox]) await (await open(path, "a", 0o600)).close();
  const [inbox, outbox] = await Promise.all([realpath(options.inbox), realpath(options.outbox)]);
  return withOutboxLock(outbox, async () => {
    const state = await loadState(outbox, inbox);
    return new Channel(client, options, { inbox, outbox }, state, await linesAfter(outbox, state.outboxSize)).run();
  });
}

class CallError extends Error {
  readonly problem: UseCaseError;
  constructor(problem: UseCaseError) {
    super(`${problem.title}: ${problem.detail}`);
    this.problem = problem;
  }
}

async function value<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new CallError(r.error);
  return r.value;
}

/** The control plane's refusal in an error (this module's, or the CLI's ClientError), else null. */
const problemOf = (error: unknown): UseCaseError | null => ((error as { problem?: UseCaseError } | null)?.problem as UseCaseError | undefined) ?? null;

class Channel {
  readonly #client: ChannelClient;
  readonly #o: ChannelOptions;
  readonly #paths: { inbox: string; outbox: string };
  readonly #state: ChannelState;
  /** Keys of outbox lines the last run wrote after its last saved state: not written again by the first steps of this one. */
  #unsaved: string[];
  readonly #namespace: string;
  readonly #stop = new AbortController();
  #writes: Promise<void> = Promise.resolve();
  #fatal: Error | null = null;
  readonly #following = new Map<string, Promise<void>>();
  #draining: Promise<void> | null = null;
  #again = false;
  #missing = false;
  /** Until the first read of the inbox is handled: its lines may be ones the last run handled without saving. */
  #firstRead = true;

  constructor(client: ChannelClient, options: ChannelOptions, paths: { inbox: string; outbox: string }, state: ChannelState, unsaved: string[]) {
    this.#client = client;
    this.#o = options;
    this.#paths = paths;
    this.#state = state;
    this.#unsaved = unsaved;
    this.#namespace = createHash("sha256").update(paths.inbox).digest("hex").slice(0, 12);
    options.signal.addEventListener("abort", () => this.#stop.abort(), { once: true });
  }

  async run(): Promise<number> {
    const live = Object.entries(this.#state.prompts);
    for (const [id, prompt] of live) this.#follow(id, prompt.task, true);
    this.#o.log(
      `Watching ${this.#paths.inbox} for prompts (to ${this.#o.repo}${this.#o.base ? `, base ${this.#o.base}` : ""}); results go to ${this.#paths.outbox}.` +
        `${live.length ? ` Following ${live.length} task(s) started before.` : ""} Ctrl-C stops.`,
    );
    const stopWatching = watchInbox(this.#paths.inbox, () => this.#kick(), this.#o.pollMs ?? 1000);
    this.#kick();
    const signal = this.#stop.signal;
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
    stopWatching();
    await this.#draining;
    await Promise.all(this.#following.values());
    await this.#writes;
    if (this.#fatal) {
      this.#o.log(`The channel stopped: ${this.#fatal.message}`);
      return 1;
    }
    const left = Object.keys(this.#state.prompts).length;
    this.#o.log(`Stopped; the inbox was read to line ${this.#state.lines}.${left ? ` ${left} task(s) still running are followed again at the next start.` : ""}`);
    return 130;
  }

  /** An outbox line (none for a step that writes nothing) and the state change it goes with, saved together after the steps before. */
  #commit(line: ResultLine | null, change: (state: ChannelState) => void, catchingUp = false): Promise<void> {
    const step = this.#writes.then(async () => {
      const written = line && catchingUp ? this.#unsaved.indexOf(lineKey(line)) : -1;
      if (written >= 0) this.#unsaved.splice(written, 1);
      else if (line) this.#state.outboxSize = await appendLine(this.#paths.outbox, line);
      change(this.#state);
      await saveState(this.#paths.outbox, this.#state);
    });
    this.#writes = step.catch((error: Error) => {
      this.#fatal ??= error;
      this.#stop.abort();
    });
    return step;
  }

  #kick(): void {
    if (this.#stop.signal.aborted) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = this.#drain().finally(() => (this.#draining = null));
  }

  async #drain(): Promise<void> {
    do {
      this.#again = false;
      let read: Awaited<ReturnType<typeof readLines>>;
      try {
        read = await readLines(this.#paths.inbox, this.#state);
        this.#missing = false;
      } catch (error) {
        if (!this.#missing) this.#o.log(`Cannot read the inbox ${this.#paths.inbox} (${(error as Error).message}); waiting for it.`);
        this.#missing = true;
        return;
      }
      try {
        if (read.restarted) {
          this.#o.log(`The inbox ${this.#paths.inbox} is shorter than what was read of it: it was truncated or replaced, and is read again from its start.`);
          await this.#commit(null, (s) => Object.assign(s, { offset: 0, lines: 0 }));
        }
        for (const line of read.lines) {
          if (this.#stop.signal.aborted || !(await this.#handle(line, this.#firstRead))) return;
        }
      } catch {
        return; // a write failed: #fatal ends the channel
      }
      this.#firstRead = false;
    } while (this.#again && !this.#stop.signal.aborted);
  }

  /** One complete inbox line; false when the channel is stopping before the line's task could be started. */
  async #handle(line: InboxLine, catchingUp: boolean): Promise<boolean> {
    const past = (s: ChannelState) => Object.assign(s, { offset: line.end, lines: line.number });
    const parsed =
      line.text === null
        ? { kind: "invalid" as const, id: `line-${line.number}`, reason: `Line ${line.number} is longer than ${MAX_LINE_BYTES / 1024} KiB.` }
        : parsePromptLine(line.text, line.number);
    if (parsed.kind === "blank") return this.#commit(null, past).then(() => true);
    if (parsed.kind === "invalid") {
      const refused = refusedLine(parsed.id, "invalid", `Line ${line.number} of the inbox was not read as a prompt; nothing was started.`, parsed.reason);
      return this.#commit(refused, past, catchingUp).then(() => true);
    }
    const { prompt } = parsed;
    const created = await this.#create(prompt);
    if (!created) return false;
    if (!created.ok) {
      const { code, title, detail } = created.error;
      const status = code === "invalid" || code === "conflict" ? "invalid" : "failed";
      return this.#commit(refusedLine(prompt.id, status, `No task was started for prompt ${prompt.id}.`, `${title}: ${detail}`), past, catchingUp).then(() => true);
    }
    const task = created.value.task;
    const known = this.#state.prompts[prompt.id];
    await this.#commit(null, (s) => {
      past(s);
      if (known?.task !== task.id) s.prompts[prompt.id] = { task: task.id, line: line.number, reported: null };
    });
    this.#follow(prompt.id, task.id, catchingUp);
    return true;
  }

  /** The create call, asked again while the control plane is unavailable; null when the channel stops first. */
  async #create(prompt: PromptLine): Promise<Result<{ task: Task; created: boolean }> | null> {
    const input: CreateInput = {
      repository: prompt.repo ?? this.#o.repo,
      instruction: prompt.prompt,
      idempotencyKey: `channel:${this.#namespace}:${prompt.id}`,
      ...((prompt.base ?? this.#o.base) !== undefined && { base: prompt.base ?? this.#o.base }),
    };
    for (let wait = this.#o.retryMs ?? 1000; ; wait = Math.min(wait * 2, MAX_RETRY_MS)) {
      let result: Result<{ task: Task; created: boolean }>;
      try {
        result = await this.#client.create(input);
      } catch (error) {
        result = { ok: false, error: problemOf(error) ?? { code: "unavailable", title: "Unreachable", detail: (error as Error).message } };
      }
      if (result.ok || result.error.code !== "unavailable") return result;
      this.#o.log(`Could not start the task of prompt ${prompt.id} (${result.error.title}: ${result.error.detail}); trying again in ${Math.round(wait / 1000)} s.`);
      if (!(await this.#pause(wait))) return null;
    }
  }

  #follow(id: string, taskId: string, catchingUp: boolean): void {
    if (this.#following.has(id)) return;
    const watching = this.#watch(id, taskId, catchingUp).finally(() => this.#following.delete(id));
    this.#following.set(id, watching);
  }

  /** Follows the task's log until it ends (or the channel stops), writing each report once. */
  async #watch(id: string, taskId: string, catchingUp: boolean): Promise<void> {
    const signal = this.#stop.signal;
    let after = 0;
    let wait = this.#o.retryMs ?? 1000;
    while (!signal.aborted) {
      try {
        if (await this.#report(id, await value(this.#client.get(taskId)), catchingUp)) return;
        catchingUp = false;
        for await (const event of await value(this.#client.follow(taskId, { after, signal }))) {
          after = event.id;
          if (event.data.type !== "state" || !REPORTED.includes(event.data.to)) continue;
          if (await this.#report(id, await value(this.#client.get(taskId)), false)) return;
          wait = this.#o.retryMs ?? 1000;
        }
      } catch (error) {
        if (signal.aborted || this.#fatal) return;
        const problem = problemOf(error);
        if (problem && problem.code !== "unavailable") {
          const gone = refusedLine(id, "failed", `Task ${taskId} of prompt ${id} can no longer be followed.`, `${problem.title}: ${problem.detail}`);
          await this.#commit({ ...gone, task: taskId }, (s) => delete s.prompts[id]).catch(() => undefined);
          return;
        }
        this.#o.log(`Lost task ${taskId} of prompt ${id} (${(error as Error).message}); following it again in ${Math.round(wait / 1000)} s.`);
        if (!(await this.#pause(wait))) return;
        wait = Math.min(wait * 2, MAX_RETRY_MS);
      }
    }
  }

  /** Writes the task's report unless it was written; true when the task ended. */
  async #report(id: string, view: TaskView, catchingUp: boolean): Promise<boolean> {
    const report = reportOf(id, view.task, view.history);
    const prompt = this.#state.prompts[id];
    if (!prompt) return true;
    if (!report || prompt.reported === report.key) return false;
    await this.#commit(
      report.line,
      (s) => {
        if (report.final) delete s.prompts[id];
        else s.prompts[id] = { ...prompt, reported: report.key };
      },
      catchingUp,
    );
    return report.final;
  }

  /** Waits `ms`; false when the channel stops meanwhile. */
  #pause(ms: number): Promise<boolean> {
    const signal = this.#stop.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const timer = setTimeout(() => resolve(true), ms);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve(false)), { once: true });
    });
  }
}
