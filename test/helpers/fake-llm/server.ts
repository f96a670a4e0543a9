import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { anthropicError, anthropicMessage } from "./anthropic-format.ts";
import { openaiCompletion, openaiError } from "./openai-format.ts";
import type { Step } from "./script.ts";

/**
 * A fake model server on 127.0.0.1 for tests: real HTTP (node:http) speaking
 * both OpenAI Chat Completions (`POST /v1/chat/completions`) and Anthropic
 * Messages (`POST /v1/messages`). Real SDK clients are pointed at it with
 * their base URL. It plays a script, one step per request, and records every
 * request (path, headers, parsed body) so tests can assert on prompts, tools
 * and tool results. When the script runs out it answers 500 with a message
 * saying so, which makes an unexpected extra call visible in the test; or,
 * when the server was given a `respond` function, asks it for the step, so
 * many clients calling in any order (several worker processes) can be
 * answered from what each request says (see by-phase.ts).
 */

export type WireFormat = "openai" | "anthropic";

export interface RecordedRequest {
  format: WireFormat;
  path: string;
  headers: IncomingMessage["headers"];
  /** Parsed JSON body, typed loosely so tests can navigate it. */
  body: any;
  /** The step that answered it (undefined when the script was exhausted). */
  step: Step | undefined;
}

/** Chooses the answer to one request from its content (used when the script is empty). */
export type Responder = (request: { format: WireFormat; headers: IncomingMessage["headers"]; body: any }) => Step;

export interface FakeLlmOptions {
  respond?: Responder;
}

export interface FakeLlm {
  /** For the OpenAI SDK: `http://127.0.0.1:<port>/v1`. */
  openaiBaseUrl: string;
  /** For the Anthropic SDK: `http://127.0.0.1:<port>`. */
  anthropicBaseUrl: string;
  requests: RecordedRequest[];
  /** Steps not played yet. */
  readonly remaining: number;
  push(...steps: Step[]): void;
  /** Forgets unplayed steps and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const formatOf = (path: string): WireFormat | null => (path === "/v1/chat/completions" ? "openai" : path === "/v1/messages" ? "anthropic" : null);

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

export async function startFakeLlm(script: Step[] = [], options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const steps = [...script];
  const requests: RecordedRequest[] = [];
  let seq = 0;

  const server = createServer(async (req, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const format = formatOf(path);
    const raw = await readBody(req);
    if (req.method !== "POST" || !format) return send(res, 404, { error: { message: `fake-llm: no route ${req.method} ${path}` } });
    const body = JSON.parse(raw);
    const step = steps.shift() ?? options.respond?.({ format, headers: req.headers, body });
    seq++;
    requests.push({ format, path, headers: req.headers, body, step });
    if (!step) {
      const message = "fake-llm: the script is exhausted (the client made more calls than scripted)";
      return send(res, 500, format === "openai" ? openaiError({ kind: "fail", status: 500, message }) : anthropicError({ kind: "fail", status: 500, message }, seq));
    }
    if (step.delayMs) {
      // The wait ends early when the client gives up (timeout, abort), like a real server's would.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, step.delayMs);
        res.once("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (res.destroyed) return;
    }
    if (step.kind === "drop") {
      req.socket.destroy();
      return;
    }
    if (step.kind === "fail") {
      const error = format === "openai" ? openaiError(step) : anthropicError(step, seq);
      return send(res, step.status, error, { ...(format === "anthropic" ? { "request-id": `req_fake${seq}` } : {}), ...step.headers });
    }
    const inputTokens = Math.ceil(raw.length / 4);
    send(res, 200, format === "openai" ? openaiCompletion(step, body, seq, inputTokens) : anthropicMessage(step, body, seq, inputTokens));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    openaiBaseUrl: `http://127.0.0.1:${port}/v1`,
    anthropicBaseUrl: `http://127.0.0.1:${port}`,
    requests,
    get remaining() {
      return steps.length;
    },
    push: (...more) => void steps.push(...more),
    reset: () => {
      steps.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
