import type { Logger } from "probot";
import type { JobQueue } from "../queue/port.ts";
import { mentionsCommand } from "./commands/parse.ts";
import { gateCi } from "./ci-events.ts";
import { eventActor, eventKey, type InboundEvent } from "./events.ts";
import { gateActor, type GateOptions } from "./gate.ts";

/**
 * The request-path side of every webhook: cheap checks (is there a command at
 * all, is the sender someone we listen to), then one durable enqueue whose id
 * makes redeliveries and duplicate comments harmless. No GitHub call happens
 * here: permissions, config and replies are the worker's job, where a GitHub
 * outage means a retry instead of a lost command.
 */
export interface Intake {
  accept(event: InboundEvent, deliveryId: string): Promise<"queued" | "duplicate" | "ignored">;
}

export function createIntake(deps: { queue: JobQueue; gate: GateOptions; log: Logger }): Intake {
  return {
    async accept(event, deliveryId) {
      const log = deps.log.child({ deliveryId, repo: `${event.repo.owner}/${event.repo.repo}`, issue: event.issueNumber });
      if (event.kind === "comment" && !mentionsCommand(event.body)) return "ignored";
      // A check's sender is whoever pushed (often OpenJules itself): checks are gated on whose check it is instead.
      const verdict = event.kind === "ci" ? gateCi(event, deps.gate) : gateActor(eventActor(event), deps.gate);
      if (!verdict.pass) {
        log.debug({ reason: verdict.reason }, "event ignored");
        return "ignored";
      }
      const id = `inbound:${eventKey(event, deliveryId)}`;
      const queued = await deps.queue.enqueue({ id, name: "inbound", data: event });
      log.info({ job: id, queued }, queued ? "event queued" : "duplicate event ignored");
      return queued ? "queued" : "duplicate";
    },
  };
}
