/**
 * HTTP/1.1 requests written by hand on a TCP socket, for tests of what the
 * server does before and while it reads a body: a body far larger than it
 * accepts (written as fast as the socket takes it, stopping once the server
 * answered or hung up), a body that drips one byte at a time and never ends,
 * or a head with nothing after it. fetch cannot send these (it insists on a
 * body it has in full or streams chunked). The exchange reports the status
 * line, everything received, and when the server closed the connection.
 */
import { connect } from "node:net";

export type BodyPlan =
  /** `total` bytes of `fill`, as fast as the server reads them. */
  | { kind: "bytes"; total: number; fill?: string }
  /** One byte every `intervalMs` (framed as a one-byte chunk when `chunked`), until the server hangs up. */
  | { kind: "drip"; intervalMs: number; chunked?: boolean }
  /** Nothing after the head (the server waits for a body it was promised). */
  | { kind: "none" };

export interface RawExchange {
  /** The answer's status code once its status line arrived; null when the connection closed without one. */
  status: Promise<number | null>;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves with the milliseconds from connecting until the server closed the connection. */
  closed: Promise<number>;
  /** Bytes of body written so far. */
  sent(): number;
  destroy(): void;
}

/** A request head: `headers` in order, each line `name: value`. */
export function requestHead(method: string, path: string, headers: Record<string, string | number>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${lines.join("\r\n")}\r\n\r\n`;
}

export function rawExchange(port: number, head: string, body: BodyPlan): RawExchange {
  const started = performance.now();
  const socket = connect(port, "127.0.0.1");
  let text = "";
  let written = 0;
  let done = false;
  let answered!: (status: number | null) => void;
  const status = new Promise<number | null>((resolve) => (answered = resolve));
  const closed = new Promise<number>((resolve) =>
    socket.once("close", () => {
      done = true;
      answered(null);
      resolve(performance.now() - started);
    }),
  );
  socket.on("error", () => undefined);
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    text += chunk;
    const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
    if (match) answered(Number(match[1]));
  });
  void status.then((code) => {
    if (code !== null) done = true;
  });
  socket.once("connect", () => {
    socket.write(head);
    if (body.kind === "bytes") {
      const chunk = Buffer.alloc(64 * 1024, body.fill ?? "a");
      const pump = () => {
        while (!done && written < body.total) {
          const piece = chunk.subarray(0, Math.min(chunk.length, body.total - written));
          written += piece.length;
          if (!socket.write(piece)) return void socket.once("drain", pump);
        }
      };
      pump();
    } else if (body.kind === "drip") {
      const timer = setInterval(() => {
        if (done || socket.destroyed) return clearInterval(timer);
        socket.write(body.chunked ? "1\r\na\r\n" : "a");
        written += 1;
      }, body.intervalMs);
      socket.once("close", () => clearInterval(timer));
    }
  });
  return { status, received: () => text, closed, sent: () => written, destroy: () => socket.destroy() };
}
